from django.db import migrations

# docs/architecture.md §5 (SAMR Order 107 / 2025 restoration draft): severity -> published, min, max months.
DEFAULT_RULES = [
    ("none", True, None, None),
    ("warning", False, None, None),
    ("minor", True, 3, 3),
    ("general", True, 3, 12),
    ("serious", True, 12, 36),
]


def load(apps, schema_editor):
    rule = apps.get_model("registry", "PublicityRule")
    for severity, published, low, high in DEFAULT_RULES:
        rule.objects.get_or_create(
            severity=severity,
            defaults={"published": published, "min_months": low, "max_months": high},
        )
    config = apps.get_model("registry", "PublicityConfig")
    if not config.objects.exists():
        config.objects.create(publish_within=7, withdraw_within=3)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_decisions_and_publicity")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
