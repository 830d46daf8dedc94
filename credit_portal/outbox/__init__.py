"""One outbox for the whole portal: signed, retried notices to subscribers (departments,
banks, associations), written in the transaction of the change they tell about.

Publishing (any app's service; the only call an app needs)::

    from credit_portal.outbox.services import event_publish

    event_publish(
        kind="rating_run.finished",  # the topic; subscribers choose topics
        subject_uscc="",  # the entity it is about, blank when none
        payload={"run": {...}, "changes_url": "/api/v1/..."},  # JSON primitives only
        idempotency_key=f"rating_run.finished:{run.pk}",  # once per key, ever
    )

- Call it **inside the transaction of the change** (the service's ``transaction.atomic``):
  the event and one pending delivery per active subscriber of that topic commit with the
  change or not at all, so a rolled-back change is never told and a committed one always is.
- The idempotency key makes it safe to call twice (a retried task, a chunk delivered twice):
  the second call writes nothing and returns the first event.
- The payload holds no non-public data: it says what happened and where to read it (the
  receiver reads details through the API with its own token).

What a subscriber receives (``services.deliveries_relay``, every minute from beat
``outbox-relay``; at least once): ``POST`` to its URL with the JSON body
``{"event": kind, "delivery": <delivery id>, "subject": uscc (only when set), **payload}`` and
the headers ``X-Credit-Event`` (the kind), ``X-Credit-Delivery`` (the same id on every retry:
the receiver's deduplication key) and ``X-Credit-Signature: sha256=<HMAC-SHA256 of the raw body
with the subscriber's secret>``. A 2xx answer is delivered; anything else, a redirect included
(never followed), is retried after 1, 5, 15, 60, 240, 720 and 1440 minutes, and the 8th failure
gives it up. Every attempt is logged (``DeliveryAttempt``: time, status code or error,
duration), shown read-only in the admin.

Subscribers are managed by platform administrators in the admin (``subscriber_create``: the
secret is shown once; ``subscriber_deactivate`` gives up its pending deliveries). Who counts as
one is the project's rule, named by the setting ``OUTBOX_MANAGER_CHECK`` (this layer imports no
app).
"""
