"""Move the push to subscribers onto the portal's outbox (credit_portal.outbox), keeping every
row: each subscriber keeps its id, secret and state and subscribes to ``rating_run.finished``;
each run that has deliveries becomes one event with the notice it sent (the paths as they were
then); each delivery keeps its id (the ``X-Credit-Delivery`` a subscriber deduplicates by), its
status, attempts and next attempt. 0007 then drops the ratings tables.

Backward copies the rating subscribers and deliveries back and removes from the outbox what it
copied (events of the topic, their deliveries and logs, subscribers of that topic alone)."""

from django.db import migrations

TOPIC = "rating_run.finished"


def _reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), "
        f"MAX(id) IS NOT NULL) FROM {table}"
    )


def forward(apps, schema_editor) -> None:
    RatingRun = apps.get_model("ratings", "RatingRun")
    OldDelivery = apps.get_model("ratings", "Delivery")
    Event = apps.get_model("outbox", "Event")
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO outbox_subscriber (id, name, kind, url, secret, topics, active, created_at)
            SELECT id, name, kind, url, secret, ARRAY[%s]::varchar(100)[], active, created_at
            FROM ratings_subscriber
            ON CONFLICT (id) DO NOTHING
            """,
            [TOPIC],
        )
        _reset_sequence(cursor, "outbox_subscriber")
    run_ids = OldDelivery.objects.values_list("run_id", flat=True).distinct()
    for run in RatingRun.objects.filter(pk__in=run_ids).order_by("pk"):
        # The notice as ratings.services.delivery_payload built it (with the paths it had).
        payload = {
            "run": {
                "id": run.pk,
                "kind": run.kind,
                "as_of": run.as_of.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "rated": run.rated,
                "grades_changed": run.grades_changed,
            },
            "changes_url": f"/api/v1/rating-runs/{run.pk}/changes/",
            "export_url": f"/api/v1/rating-runs/{run.pk}/export/",
        }
        event, created = Event.objects.get_or_create(
            idempotency_key=f"{TOPIC}:{run.pk}", defaults={"kind": TOPIC, "payload": payload}
        )
        if created:  # created_at is auto_now_add: set it to when the run was told
            first = OldDelivery.objects.filter(run=run).order_by("created_at").first()
            Event.objects.filter(pk=event.pk).update(created_at=first.created_at)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO outbox_delivery
                (id, subscriber_id, event_id, status, attempts, next_attempt_at, last_error,
                 delivered_at, created_at)
            SELECT d.id, d.subscriber_id, e.id, d.status, d.attempts, d.next_attempt_at,
                   d.last_error, d.delivered_at, d.created_at
            FROM ratings_delivery d
            JOIN outbox_event e ON e.idempotency_key = %s || ':' || d.run_id
            ON CONFLICT DO NOTHING
            """,
            [TOPIC],
        )
        _reset_sequence(cursor, "outbox_delivery")


def backward(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO ratings_subscriber (id, name, kind, url, secret, active, created_at)
            SELECT id, name, kind, url, secret, active, created_at
            FROM outbox_subscriber WHERE %s = ANY(topics)
            """,
            [TOPIC],
        )
        _reset_sequence(cursor, "ratings_subscriber")
        # The run's id is the key's tail; a delivery of a run that no longer exists cannot go
        # back (the old table's foreign key), nor can one whose subscriber did not.
        cursor.execute(
            """
            INSERT INTO ratings_delivery
                (id, subscriber_id, run_id, status, attempts, next_attempt_at, last_error,
                 delivered_at, created_at)
            SELECT d.id, d.subscriber_id, r.id, d.status, d.attempts, d.next_attempt_at,
                   d.last_error, d.delivered_at, d.created_at
            FROM outbox_delivery d
            JOIN outbox_event e ON e.id = d.event_id AND e.kind = %s
            JOIN ratings_ratingrun r ON r.id = split_part(e.idempotency_key, ':', 2)::bigint
            JOIN ratings_subscriber s ON s.id = d.subscriber_id
            """,
            [TOPIC],
        )
        _reset_sequence(cursor, "ratings_delivery")
        cursor.execute(
            """
            DELETE FROM outbox_deliveryattempt WHERE delivery_id IN (
                SELECT d.id FROM outbox_delivery d
                JOIN outbox_event e ON e.id = d.event_id AND e.kind = %(topic)s);
            DELETE FROM outbox_delivery WHERE event_id IN (
                SELECT id FROM outbox_event WHERE kind = %(topic)s);
            DELETE FROM outbox_event WHERE kind = %(topic)s;
            DELETE FROM outbox_subscriber s WHERE s.topics = ARRAY[%(topic)s]::varchar(100)[]
                AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d.subscriber_id = s.id);
            """,
            {"topic": TOPIC},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0005_rating_composite_key"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
