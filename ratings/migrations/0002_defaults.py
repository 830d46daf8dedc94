from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from ratings.defaults import load_defaults

    load_defaults(
        apps.get_model("ratings", "EvaluationModel"),
        apps.get_model("ratings", "Indicator"),
        apps.get_model("ratings", "SupervisionTier"),
        timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
