# Data migration: the relay of finished runs' notices moved to the portal's outbox (beat entry
# "outbox-relay", credit_portal.outbox). django-celery-beat's database scheduler only adds and
# updates the rows of the entries it is given, so an upgraded database would keep the old
# "rating-deliveries" row and beat would send a task that no longer exists every minute.

from django.db import migrations

OLD_ENTRY = "rating-deliveries"
OLD_TASK = "ratings.tasks.rating_deliveries_relay"


def forget_old_entry(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=OLD_ENTRY, task=OLD_TASK).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("ratings", "0007_drop_subscribers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Backwards: nothing to restore; the old code's beat writes its entry again at start-up.
    operations = [migrations.RunPython(forget_old_entry, migrations.RunPython.noop)]
