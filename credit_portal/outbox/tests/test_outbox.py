"""The portal's outbox (docs/architecture.md §6: webhooks through a transactional outbox): an
event is written in the transaction of the change with one delivery per active subscriber of its
topic, once per idempotency key; the relay claims due deliveries with SKIP LOCKED, POSTs a signed
notice to a real local HTTP server, logs each attempt and retries with growing pauses until
it gives up. No app is imported here (layer 1): the actors are plain users."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from credit_portal.audit.models import AuditEvent
from credit_portal.celery import app, installed_beat_schedule
from credit_portal.errors import DomainError, PermissionDenied
from credit_portal.outbox import selectors, services, tasks
from credit_portal.outbox.models import Delivery, DeliveryAttempt, Event, Subscriber

from .receiver import Endpoint, free_port

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
TOPIC = "test.happened"


@pytest.fixture
def endpoint():
    served = Endpoint()
    yield served
    served.close()


@pytest.fixture
def admin():
    """A platform administrator: a superuser in no department (the registry's rule)."""
    return get_user_model().objects.create_user(
        username="outbox-admin", is_superuser=True, is_staff=True
    )


def subscriber(
    admin, url: str, name: str = "某银行", kind: str = "bank", topics=(TOPIC,)
) -> Subscriber:
    return services.subscriber_create(
        actor=admin, name=name, kind=kind, url=url, topics=list(topics)
    )


def publish(key: str = "k-1", kind: str = TOPIC, **payload) -> Event:
    return services.event_publish(
        kind=kind, payload=payload or {"what": "happened"}, idempotency_key=key
    )


def make_due(delivery: Delivery) -> None:
    """Time passes: the delivery's next attempt is due."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - MINUTE)


# --- publishing --------------------------------------------------------------------------------
def test_an_event_fans_out_to_the_active_subscribers_of_its_topic(admin, endpoint):
    # Given subscribers of the topic (one deactivated) and one of another topic only
    first = subscriber(admin, endpoint.url, "甲")
    both = subscriber(admin, endpoint.url, "乙", topics=("other.thing", TOPIC))
    gone = subscriber(admin, endpoint.url, "丙")
    services.subscriber_deactivate(actor=admin, subscriber_id=gone.pk)
    elsewhere = subscriber(admin, endpoint.url, "丁", topics=("other.thing",))

    # When an event of the topic is published
    event = services.event_publish(
        kind=TOPIC,
        subject_uscc="91110000100000000X",
        payload={"objection": 7, "url": "/api/v1/objections/7/"},
        idempotency_key="objection.decided:7",
    )

    # Then it is written, with one pending, due delivery per active subscriber of the topic
    assert (event.kind, event.subject_uscc, event.idempotency_key) == (
        TOPIC,
        "91110000100000000X",
        "objection.decided:7",
    )
    deliveries = selectors.event_deliveries("objection.decided:7")
    assert sorted(deliveries.values_list("subscriber_id", flat=True)) == [first.pk, both.pk]
    for delivery in deliveries:
        assert (delivery.status, delivery.attempts) == ("pending", 0)
        assert delivery.next_attempt_at <= timezone.now()

    # ... and the subscriber without the topic gets nothing, now or from the relay
    assert services.deliveries_relay() == 2
    assert sorted(int(r.headers["X-Credit-Delivery"]) for r in endpoint.received) == sorted(
        deliveries.values_list("pk", flat=True)
    )
    assert not Delivery.objects.filter(subscriber=elsewhere).exists()
    # ... the body carries the subject and the payload
    body = json.loads(endpoint.received[0].body)
    assert body == {
        "event": TOPIC,
        "delivery": body["delivery"],
        "subject": "91110000100000000X",
        "objection": 7,
        "url": "/api/v1/objections/7/",
    }


def test_publishing_one_key_twice_writes_one_event_and_its_deliveries_once(admin, endpoint):
    subscriber(admin, endpoint.url, "甲")
    subscriber(admin, endpoint.url, "乙")
    first = publish("run:1", n=1)
    again = publish("run:1", n=2)  # a retried task: the first event stands
    assert again.pk == first.pk and again.payload == {"n": 1}
    assert Event.objects.count() == 1
    assert Delivery.objects.count() == 2
    other = publish("run:2", n=2)
    assert other.pk != first.pk and Delivery.objects.count() == 4


def test_a_subscriber_added_after_an_event_is_not_sent_it(admin, endpoint):
    publish()
    subscriber(admin, endpoint.url)
    assert not Delivery.objects.exists()
    assert services.deliveries_relay() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "nothing"}, "topic"),
        ({"kind": "Bad.Kind"}, "topic"),
        ({"idempotency_key": ""}, "idempotency key"),
        ({"payload": {"event": "x"}}, "reserved"),
        ({"payload": {"delivery": 1}}, "reserved"),
        ({"payload": {"when": datetime.date(2026, 1, 1)}}, "JSON serializable"),
    ],
)
def test_a_malformed_event_is_a_programming_error_and_writes_nothing(kwargs, message):
    data = {"kind": TOPIC, "payload": {"a": 1}, "idempotency_key": "k", **kwargs}
    with pytest.raises((ValueError, TypeError), match=message):
        services.event_publish(**data)
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_event_written_in_a_rolled_back_transaction_is_never_delivered(admin, endpoint):
    subscriber(admin, endpoint.url)

    # When the change that publishes the event fails after publishing
    with pytest.raises(RuntimeError), transaction.atomic():
        publish("change:1")
        assert Delivery.objects.count() == 1  # inside: written with the change
        raise RuntimeError("the change fails")

    # Then neither the event nor its delivery exists, and the relay sends nothing
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()
    assert services.deliveries_relay() == 0
    assert endpoint.received == []


def _relay_in_own_connection(barrier: threading.Barrier, results: list, errors: list) -> None:
    try:
        barrier.wait(10)
        results.append(services.deliveries_relay())
    except Exception as exc:  # reported by the test
        errors.append(exc)
    finally:
        connection.close()  # this thread's own database connection


@pytest.mark.django_db(transaction=True)
def test_a_committed_event_is_delivered_once_when_two_relays_run_at_the_same_time(admin, endpoint):
    # Given six subscribers and one committed event, and an endpoint slow enough (0.4 s an
    # answer: one relay alone would take 2.4 s) that both relays are busy at once
    subscribers = [subscriber(admin, endpoint.url, f"订阅方{n}") for n in range(6)]
    with transaction.atomic():
        publish("change:2")
    endpoint.answer(200, delay=0.4)
    expected = sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(expected) == len(subscribers)

    # When two relays run at the same time, each in its own thread and database connection
    barrier, results, errors = threading.Barrier(2), [], []
    threads = [
        threading.Thread(target=_relay_in_own_connection, args=(barrier, results, errors))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and not any(t.is_alive() for t in threads)

    # Then the server got each delivery exactly once, and both relays did part of the work
    got = sorted(int(r.headers["X-Credit-Delivery"]) for r in endpoint.received)
    assert got == expected
    assert sum(results) == len(expected) and all(n > 0 for n in results)
    assert set(Delivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
    assert DeliveryAttempt.objects.count() == len(expected)
    # ... and a third relay afterwards has nothing to send
    assert services.deliveries_relay() == 0
    assert len(endpoint.received) == len(expected)


# --- the relay ---------------------------------------------------------------------------------
def test_each_subscriber_gets_its_own_signature(admin, endpoint):
    first = subscriber(admin, endpoint.url, "甲")
    second = services.subscriber_create(
        actor=admin, name="乙", kind="department", url=endpoint.url, topics=[TOPIC], secret="s" * 20
    )
    publish()
    assert services.deliveries_relay() == 2
    by_delivery = {r.headers["X-Credit-Delivery"]: r for r in endpoint.received}
    for sub in (first, second):
        received = by_delivery[str(Delivery.objects.get(subscriber=sub).pk)]
        mac = hmac.new(sub.secret.encode(), received.body, hashlib.sha256).hexdigest()
        assert received.headers["X-Credit-Signature"] == f"sha256={mac}"
        assert received.headers["X-Credit-Event"] == TOPIC


def test_a_failing_subscriber_is_retried_after_growing_pauses_then_given_up(admin, endpoint):
    # Given a subscriber that answers 500
    subscriber(admin, endpoint.url)
    endpoint.answer(500)
    publish()
    delivery = Delivery.objects.get()

    # When the relay runs, then the delivery stays pending with one attempt and a pause
    before = timezone.now()
    assert services.deliveries_relay() == 0
    after = timezone.now()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "500" in delivery.last_error
    assert before + MINUTE <= delivery.next_attempt_at <= after + MINUTE
    # ... and it is not retried before then
    assert services.deliveries_relay() == 0
    assert len(endpoint.received) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    # When it keeps failing, then the pauses grow, and after 8 attempts it is given up
    pauses = []
    for _ in range(7):
        make_due(delivery)
        before = timezone.now()
        services.deliveries_relay()
        delivery.refresh_from_db()
        pauses.append(round((delivery.next_attempt_at - before) / MINUTE))
    assert pauses[:6] == [5, 15, 60, 240, 720, 1440]
    assert (delivery.status, delivery.attempts) == ("failed", 8)
    assert len(endpoint.received) == 8
    make_due(delivery)
    assert services.deliveries_relay() == 0
    assert len(endpoint.received) == 8  # a failed delivery is not tried again
    # ... and the log holds all eight attempts
    assert (
        list(selectors.delivery_log(delivery.pk).values_list("status_code", flat=True)) == [500] * 8
    )


def test_a_retry_that_succeeds_is_delivered_and_every_attempt_is_logged(admin, endpoint):
    subscriber(admin, endpoint.url)
    endpoint.answer(503)
    publish()
    services.deliveries_relay()
    endpoint.answer(204)
    delivery = Delivery.objects.get()
    make_due(delivery)
    assert services.deliveries_relay() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    assert [r.headers["X-Credit-Delivery"] for r in endpoint.received] == [str(delivery.pk)] * 2
    log = list(selectors.delivery_log(delivery.pk))
    assert [(a.status_code, a.error) for a in log] == [
        (503, "HTTP 503 Service Unavailable"),
        (204, ""),
    ]
    assert all(a.duration_ms >= 0 and a.attempted_at <= timezone.now() for a in log)
    assert log[0].attempted_at <= log[1].attempted_at


@pytest.mark.parametrize("status", [302, 404])
def test_anything_but_2xx_is_a_failure_and_redirects_are_not_followed(admin, endpoint, status):
    subscriber(admin, endpoint.url)
    endpoint.answer(status)
    publish()
    assert services.deliveries_relay() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert str(status) in delivery.last_error
    assert [r.path for r in endpoint.received] == ["/hooks/credit"]  # not to /moved
    assert DeliveryAttempt.objects.get().status_code == status


def test_an_unreachable_subscriber_counts_an_attempt(admin):
    subscriber(admin, f"http://127.0.0.1:{free_port()}/closed")
    publish()
    assert services.deliveries_relay() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code is None and attempt.error == delivery.last_error


def test_the_relay_sends_at_most_its_limit(admin, endpoint):
    subscriber(admin, endpoint.url, "甲")
    subscriber(admin, endpoint.url, "乙")
    subscriber(admin, endpoint.url, "丙")
    publish()
    assert services.deliveries_relay(limit=2) == 2
    assert Delivery.objects.filter(status="pending").count() == 1
    assert services.deliveries_relay(limit=2) == 1
    assert len(endpoint.received) == 3


@pytest.mark.django_db(transaction=True)
def test_a_delivery_claimed_by_one_relay_is_skipped_by_another(admin, endpoint):
    """Committed data and a second database session: one relay holds the row (as while it
    sends); another skips it instead of waiting or sending it too."""
    subscriber(admin, endpoint.url)
    publish()
    delivery = Delivery.objects.get()
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM outbox_delivery WHERE id = %s FOR UPDATE", [delivery.pk])
        assert services.deliveries_relay() == 0
        assert endpoint.received == []
        other.rollback()  # the other relay is done with it (here: without sending)
        assert services.deliveries_relay() == 1
        assert len(endpoint.received) == 1
    finally:
        other.close()


# --- subscribers -------------------------------------------------------------------------------
def test_a_subscriber_gets_a_generated_secret_that_the_audit_row_does_not_hold(admin):
    created = services.subscriber_create(
        actor=admin,
        name=" 某协会 ",
        kind="association",
        url="https://hooks.example.cn/credit",
        topics=" rating_run.finished, objection.decided ",
    )
    assert created.name == "某协会" and created.active
    assert created.topics == ["objection.decided", "rating_run.finished"]
    assert len(created.secret) == 64 and int(created.secret, 16) >= 0
    event = AuditEvent.objects.get(action="subscriber.create")
    assert event.target_id == str(created.pk)
    assert event.after == {
        "name": "某协会",
        "kind": "association",
        "url": "https://hooks.example.cn/credit",
        "topics": ["objection.decided", "rating_run.finished"],
    }
    assert created.secret not in json.dumps(event.after)
    other = services.subscriber_create(
        actor=admin, name="某银行", kind="bank", url="http://10.1.2.3:8080/hook", topics=[TOPIC]
    )
    assert other.secret != created.secret


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"url": "ftp://hooks.example.cn/credit"}, "invalid_url", "url"),
        ({"url": "javascript:alert(1)"}, "invalid_url", "url"),
        ({"url": "hooks.example.cn/credit"}, "invalid_url", "url"),
        ({"url": ""}, "invalid_url", "url"),
        ({"url": "https://example.cn/" + "a" * 490}, "invalid_url", "url"),
        ({"name": "  "}, "invalid", "name"),
        ({"kind": "agency"}, "invalid_kind", "kind"),
        ({"secret": "short"}, "invalid_secret", "secret"),
        ({"topics": []}, "invalid_topics", "topics"),
        ({"topics": ["everything"]}, "invalid_topics", "topics"),
        ({"topics": [f"t.n{n}" for n in range(21)]}, "invalid_topics", "topics"),
    ],
)
def test_a_bad_subscriber_is_refused_and_nothing_written(admin, changes, code, field):
    data = {
        "name": "某银行",
        "kind": "bank",
        "url": "https://hooks.example.cn/credit",
        "topics": [TOPIC],
    }
    with pytest.raises(DomainError) as raised:
        services.subscriber_create(actor=admin, **{**data, **changes})
    assert (raised.value.code, raised.value.field) == (code, field)
    assert str(raised.value.message)
    assert not Subscriber.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="subscriber.").exists()


def test_only_managers_manage_subscribers(admin, endpoint):
    # The project's rule (settings: the registry's platform administrators) refuses a user
    # without a role; without the setting, only superusers manage subscribers.
    nobody = get_user_model().objects.create_user(username="nobody")
    with pytest.raises(PermissionDenied):
        subscriber(nobody, endpoint.url)
    assert not Subscriber.objects.exists()
    bank = subscriber(admin, endpoint.url)
    with pytest.raises(PermissionDenied):
        services.subscriber_deactivate(actor=nobody, subscriber_id=bank.pk)
    bank.refresh_from_db()
    assert bank.active
    with override_settings(OUTBOX_MANAGER_CHECK=""):
        with pytest.raises(PermissionDenied):
            subscriber(nobody, endpoint.url)
        assert subscriber(admin, endpoint.url, "乙").active


def test_deactivating_gives_up_pending_deliveries_and_later_events_skip_it(admin, endpoint):
    bank = subscriber(admin, endpoint.url)
    publish("first")
    services.subscriber_deactivate(actor=admin, subscriber_id=bank.pk)
    services.subscriber_deactivate(actor=admin, subscriber_id=bank.pk)  # twice: once
    assert AuditEvent.objects.filter(action="subscriber.deactivate").count() == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("failed", "subscriber deactivated")
    publish("second")
    assert Delivery.objects.count() == 1
    assert services.deliveries_relay() == 0
    assert endpoint.received == []
    with pytest.raises(DomainError) as raised:
        services.subscriber_deactivate(actor=admin, subscriber_id=bank.pk + 1000)
    assert raised.value.code == "subscriber_not_found"


# --- the job and the admin ---------------------------------------------------------------------
def test_the_relay_job_is_scheduled_every_minute_and_registered(admin, endpoint):
    schedule = installed_beat_schedule()
    entry = schedule["outbox-relay"]
    assert entry["task"] == "credit_portal.outbox.tasks.outbox_relay"
    assert entry["schedule"] == 60
    assert entry["task"] in app.tasks
    assert "rating-deliveries" not in schedule  # replaced
    subscriber(admin, endpoint.url)
    publish()
    assert tasks.outbox_relay() == 1
    assert tasks.outbox_relay() == 0  # safe to run twice
    assert len(endpoint.received) == 1


def test_the_admin_adds_through_the_service_shows_the_secret_once_then_masked(client, admin):
    client.force_login(admin)
    url = "/admin/outbox/subscriber/add/"
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"name": "某银行", "kind": "bank", "url": "ftp://example.cn/h", "topics": TOPIC}
    )
    assert refused.status_code == 200
    assert "The URL must be an http or https address" in refused.content.decode()
    no_topic = client.post(
        url, {"name": "某银行", "kind": "bank", "url": "https://hooks.example.cn/credit"}
    )
    assert no_topic.status_code == 200
    assert not Subscriber.objects.exists()

    response = client.post(
        url,
        {
            "name": "某银行",
            "kind": "bank",
            "url": "https://hooks.example.cn/credit",
            "topics": "rating_run.finished,objection.decided",
        },
        follow=True,
    )
    assert response.status_code == 200
    created = Subscriber.objects.get()
    assert created.topics == ["objection.decided", "rating_run.finished"]
    assert created.secret in response.content.decode()  # shown this once
    assert AuditEvent.objects.filter(action="subscriber.create").count() == 1

    page = client.get(f"/admin/outbox/subscriber/{created.pk}/change/").content.decode()
    assert created.secret not in page and f"{created.secret[:4]}…" in page
    listing = client.get("/admin/outbox/subscriber/").content.decode()
    assert created.secret not in listing

    client.post(
        "/admin/outbox/subscriber/",
        {"action": "deactivate", "_selected_action": [created.pk]},
    )
    created.refresh_from_db()
    assert not created.active
    assert AuditEvent.objects.filter(action="subscriber.deactivate").count() == 1


def test_the_admin_shows_events_deliveries_and_their_log_read_only(client, admin, endpoint):
    client.force_login(admin)
    subscriber(admin, endpoint.url)
    endpoint.answer(500)
    publish()
    services.deliveries_relay()
    delivery = Delivery.objects.get()
    for url in (
        "/admin/outbox/event/",
        "/admin/outbox/delivery/",
        "/admin/outbox/delivery/?status=pending",
        "/admin/outbox/deliveryattempt/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/outbox/delivery/{delivery.pk}/change/").content.decode()
    assert "HTTP 500" in page  # the log, inline
    for model in ("event", "delivery", "deliveryattempt"):
        assert client.get(f"/admin/outbox/{model}/add/").status_code == 403
    assert client.post(f"/admin/outbox/delivery/{delivery.pk}/delete/").status_code == 403
    assert Delivery.objects.filter(pk=delivery.pk).exists()
