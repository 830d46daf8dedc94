from django.db import migrations


def seed(apps, schema_editor):
    from registry.catalogue import load_default_catalogue

    load_default_catalogue(apps.get_model("registry", "CatalogueItem"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
