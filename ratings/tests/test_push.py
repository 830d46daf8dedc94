"""Pushing finished runs to subscribers through the portal's outbox (credit_portal.outbox):
the run that finishes publishes one ``rating_run.finished`` event in its own transaction,
once, which the outbox fans out to the subscribers of that topic; the relay POSTs the signed
notice (no ratings in it: the subscriber then reads the changes with its token) to a real
local HTTP server. The outbox's own behaviour (retries, the log, concurrency, the admin) is
tested in credit_portal/outbox/tests."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import PermissionDenied
from credit_portal.outbox import selectors as outbox_selectors
from credit_portal.outbox import services as outbox
from credit_portal.outbox.models import Delivery, Event, Subscriber
from credit_portal.outbox.tests.receiver import Endpoint
from ratings import services
from ratings.models import RatingConfig, RatingRun
from registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint():
    served = Endpoint()
    yield served
    served.close()


@pytest.fixture
def admin():
    return factories.platform_admin()


def subscriber(admin, url: str, name: str = "某银行", kind: str = "bank") -> Subscriber:
    return outbox.subscriber_create(
        actor=admin, name=name, kind=kind, url=url, topics=["rating_run.finished"]
    )


def run_all() -> RatingRun:
    run, chunk_ids = services.run_start()
    for chunk_id in chunk_ids:
        services.chunk_rate(chunk_id)
    run.refresh_from_db()
    return run


def deliveries_of(run: RatingRun):
    return outbox_selectors.event_deliveries(services.run_finished_key(run.pk))


# --- the event is written with the run, once -----------------------------------------------------
def test_a_finished_run_writes_one_pending_delivery_per_active_subscriber_once(
    samr_staff, admin, endpoint
):
    # Given two active subscribers and one deactivated, one of another topic, and a run of
    # two chunks
    bank = subscriber(admin, endpoint.url, "某银行", "bank")
    association = subscriber(admin, endpoint.url, "某行业协会", "association")
    gone = subscriber(admin, endpoint.url, "已停用", "other")
    outbox.subscriber_deactivate(actor=admin, subscriber_id=gone.pk)
    outbox.subscriber_create(
        actor=admin, name="别的", kind="other", url=endpoint.url, topics=["objection.decided"]
    )
    RatingConfig.objects.create(chunk_size=2)
    for _ in range(3):
        factories.entity(by=samr_staff)
    run, chunk_ids = services.run_start()
    assert len(chunk_ids) == 2

    # When the first chunk is rated (twice), the run is not finished: nothing is written
    services.chunk_rate(chunk_ids[0])
    services.chunk_rate(chunk_ids[0])
    assert not Delivery.objects.exists()
    assert not Event.objects.exists()

    # When every chunk is delivered twice
    for chunk_id in chunk_ids + chunk_ids:
        services.chunk_rate(chunk_id)

    # Then the finished run has one event and one pending, due delivery per active subscriber
    # of the topic
    run.refresh_from_db()
    assert run.status == RatingRun.Status.FINISHED
    event = Event.objects.get()
    assert (event.kind, event.subject_uscc) == ("rating_run.finished", "")
    deliveries = deliveries_of(run)
    assert sorted(deliveries.values_list("subscriber_id", flat=True)) == sorted(
        [bank.pk, association.pk]
    )
    for delivery in deliveries:
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 0, "")
        assert delivery.next_attempt_at <= timezone.now() and delivery.delivered_at is None
    # ... and publishing again writes nothing; nothing was sent yet (the relay sends)
    assert services.run_finished_publish(run).pk == event.pk
    assert Event.objects.count() == 1
    assert Delivery.objects.count() == 2
    assert endpoint.received == []


def test_a_run_with_nothing_to_rate_finishes_at_once_and_is_pushed_too(admin, endpoint):
    bank = subscriber(admin, endpoint.url)
    run, chunk_ids = services.run_start()  # no entities: no chunks
    assert chunk_ids == [] and run.status == RatingRun.Status.FINISHED
    assert list(
        Delivery.objects.values_list("subscriber_id", "event__idempotency_key", "status")
    ) == [(bank.pk, f"rating_run.finished:{run.pk}", "pending")]


def test_a_run_that_rolls_back_leaves_no_delivery(samr_staff, admin, endpoint, monkeypatch):
    subscriber(admin, endpoint.url)
    factories.entity(by=samr_staff)
    run, chunk_ids = services.run_start()

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services.runs, "audit_event_record", broken)
    with pytest.raises(RuntimeError):
        services.chunk_rate(chunk_ids[0])  # fails after the run is marked finished
    run.refresh_from_db()
    assert run.status == RatingRun.Status.RUNNING
    assert not Delivery.objects.exists()
    assert not Event.objects.exists()


# --- what the subscriber receives --------------------------------------------------------------
def test_the_relay_posts_a_signed_notice_without_ratings_and_marks_it_delivered(
    client, samr_staff, admin, endpoint
):
    # Given a finished run that changed the grades of two entities, one of them penalised
    bank = subscriber(admin, endpoint.url)
    entities = [factories.entity(by=samr_staff) for _ in range(2)]
    day = timezone.localdate() - datetime.timedelta(days=10)
    factories.record(
        by=samr_staff, ent=entities[0], severity="serious", conduct_date=day, decision_date=day
    )
    run = run_all()
    delivery = deliveries_of(run).get(subscriber=bank)

    # When the relay runs
    assert outbox.deliveries_relay() == 1

    # Then the subscriber got one POST, signed with its secret
    assert len(endpoint.received) == 1
    received = endpoint.received[0]
    assert received.path == "/hooks/credit"
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["X-Credit-Event"] == "rating_run.finished"
    assert received.headers["X-Credit-Delivery"] == str(delivery.pk)
    expected = "sha256=" + hmac.new(bank.secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-Credit-Signature"], expected)
    # ... whose body says which run finished and where to read its changes
    payload = json.loads(received.body)
    finished_at = payload["run"].pop("finished_at")
    assert datetime.datetime.fromisoformat(finished_at) == run.finished_at
    assert payload == {
        "event": "rating_run.finished",
        "delivery": delivery.pk,
        "run": {
            "id": run.pk,
            "kind": "full",
            "as_of": run.as_of.isoformat(),
            "rated": 2,
            "grades_changed": 2,
        },
        "changes_url": f"/api/v1/rating-runs/{run.pk}/changes/",
        "export_url": f"/api/v1/rating-runs/{run.pk}/export/",
    }
    # ... and holds no entity, score or grade (those are read through the API)
    text = received.body.decode()
    assert not any(e.uscc in text for e in entities)
    assert '"score' not in text and '"grade"' not in text and '"previous_grade' not in text
    client.force_login(admin)
    assert client.get(payload["changes_url"]).status_code == 200
    assert client.get(payload["export_url"]).status_code == 200

    # ... the delivery is marked delivered
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 1, "")
    assert delivery.delivered_at is not None

    # When the relay runs again, then nothing is sent twice
    assert outbox.deliveries_relay() == 0
    assert len(endpoint.received) == 1


def test_deactivating_gives_up_pending_deliveries_and_later_runs_skip_it(admin, endpoint):
    bank = subscriber(admin, endpoint.url)
    first = run_all()
    outbox.subscriber_deactivate(actor=admin, subscriber_id=bank.pk)
    outbox.subscriber_deactivate(actor=admin, subscriber_id=bank.pk)  # twice: once
    assert AuditEvent.objects.filter(action="subscriber.deactivate").count() == 1
    delivery = deliveries_of(first).get()
    assert delivery.status == "failed"
    run_all()
    assert Delivery.objects.count() == 1
    assert outbox.deliveries_relay() == 0
    assert endpoint.received == []


# --- who manages subscribers: the registry's platform administrators ---------------------------
def test_only_platform_administrators_manage_subscribers(samr_staff, admin, endpoint):
    with pytest.raises(PermissionDenied):
        outbox.subscriber_create(
            actor=samr_staff,
            name="某银行",
            kind="bank",
            url=endpoint.url,
            topics=["rating_run.finished"],
        )
    assert not Subscriber.objects.exists()
    bank = subscriber(admin, endpoint.url)
    with pytest.raises(PermissionDenied):
        outbox.subscriber_deactivate(actor=samr_staff, subscriber_id=bank.pk)
    bank.refresh_from_db()
    assert bank.active
    assert not AuditEvent.objects.filter(action="subscriber.deactivate").exists()
