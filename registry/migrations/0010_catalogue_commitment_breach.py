from django.db import migrations


def add_breach_item(apps, schema_editor):
    """The default item "WY" (breach of a credit commitment, negative), 35/1; the other
    default items are left as administrators have them."""
    from registry.catalogue import DEFAULT_ITEMS

    CatalogueItem = apps.get_model("registry", "CatalogueItem")
    for code, name, name_en, kind, polarity, severities, scope, period, basis in DEFAULT_ITEMS:
        if code == "WY":
            CatalogueItem.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "kind": kind,
                    "polarity": polarity,
                    "severities": severities,
                    "publicity_scope": scope,
                    "publicity_period_rule": period,
                    "legal_basis": basis,
                },
            )


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0009_department_manages_commitments"),
    ]

    operations = [
        migrations.RunPython(add_breach_item, migrations.RunPython.noop),
    ]
