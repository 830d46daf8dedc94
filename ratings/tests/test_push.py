"""Pushing finished runs to subscribers (ARCHITECTURE 6: webhooks through a transactional
outbox): the run that finishes writes one delivery per active subscriber in its own
transaction, once; the relay claims due deliveries with SKIP LOCKED, POSTs a signed notice
(no ratings in it: the subscriber then reads the changes with its token) to a real local
HTTP server, and retries with growing pauses until it gives up."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import timezone

from credit_portal.audit.models import AuditEvent
from credit_portal.celery import app, installed_beat_schedule
from credit_portal.errors import DomainError, PermissionDenied
from ratings import services, tasks
from ratings.models import Delivery, RatingConfig, RatingRun, Subscriber
from registry.tests import factories

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


# --- a subscriber's endpoint: a real HTTP server on a free local port --------------------------
@dataclass
class Received:
    path: str
    headers: Message
    body: bytes


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append(Received(self.path, self.headers, body))
        self.send_response(self.server.answer)
        if 300 <= self.server.answer < 400:
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/moved")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args) -> None:  # quiet
        pass


class Endpoint:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.server.received = []
        self.server.answer = 200
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/credit"

    @property
    def received(self) -> list[Received]:
        return self.server.received

    def answer(self, status: int) -> None:
        self.server.answer = status

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def endpoint():
    served = Endpoint()
    yield served
    served.close()


@pytest.fixture
def admin():
    return factories.platform_admin()


def subscriber(admin, url: str, name: str = "某银行", kind: str = "bank") -> Subscriber:
    return services.subscriber_create(actor=admin, name=name, kind=kind, url=url)


def run_all() -> RatingRun:
    run, chunk_ids = services.run_start()
    for chunk_id in chunk_ids:
        services.chunk_rate(chunk_id)
    run.refresh_from_db()
    return run


def make_due(delivery: Delivery) -> None:
    """Time passes: the delivery's next attempt is due."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - MINUTE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the outbox is written with the run, once ----------------------------------------------------
def test_a_finished_run_writes_one_pending_delivery_per_active_subscriber_once(
    samr_staff, admin, endpoint
):
    # Given two active subscribers and one deactivated, and a run of two chunks
    bank = subscriber(admin, endpoint.url, "某银行", "bank")
    association = subscriber(admin, endpoint.url, "某行业协会", "association")
    gone = subscriber(admin, endpoint.url, "已停用", "other")
    services.subscriber_deactivate(actor=admin, subscriber_id=gone.pk)
    RatingConfig.objects.create(chunk_size=2)
    for _ in range(3):
        factories.entity(by=samr_staff)
    run, chunk_ids = services.run_start()
    assert len(chunk_ids) == 2

    # When the first chunk is rated (twice), the run is not finished: nothing is written
    services.chunk_rate(chunk_ids[0])
    services.chunk_rate(chunk_ids[0])
    assert not Delivery.objects.exists()

    # When every chunk is delivered twice
    for chunk_id in chunk_ids + chunk_ids:
        services.chunk_rate(chunk_id)

    # Then the finished run has one pending, due delivery per active subscriber
    run.refresh_from_db()
    assert run.status == RatingRun.Status.FINISHED
    deliveries = Delivery.objects.filter(run=run)
    assert sorted(deliveries.values_list("subscriber_id", flat=True)) == sorted(
        [bank.pk, association.pk]
    )
    for delivery in deliveries:
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 0, "")
        assert delivery.next_attempt_at <= timezone.now() and delivery.delivered_at is None
    # ... and enqueueing again writes nothing; nothing was sent yet (the relay sends)
    assert services.deliveries_enqueue(run) == 0
    assert Delivery.objects.count() == 2
    assert endpoint.received == []


def test_a_run_with_nothing_to_rate_finishes_at_once_and_is_pushed_too(admin, endpoint):
    bank = subscriber(admin, endpoint.url)
    run, chunk_ids = services.run_start()  # no entities: no chunks
    assert chunk_ids == [] and run.status == RatingRun.Status.FINISHED
    assert list(Delivery.objects.values_list("subscriber_id", "run_id", "status")) == [
        (bank.pk, run.pk, "pending")
    ]


def test_a_run_that_rolls_back_leaves_no_delivery(samr_staff, admin, endpoint, monkeypatch):
    subscriber(admin, endpoint.url)
    factories.entity(by=samr_staff)
    run, chunk_ids = services.run_start()

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_event_record", broken)
    with pytest.raises(RuntimeError):
        services.chunk_rate(chunk_ids[0])  # fails after the run is marked finished
    run.refresh_from_db()
    assert run.status == RatingRun.Status.RUNNING
    assert not Delivery.objects.exists()


# --- the relay ---------------------------------------------------------------------------------
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
    delivery = Delivery.objects.get(run=run, subscriber=bank)

    # When the relay runs
    assert services.deliveries_relay() == 1

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
    assert services.deliveries_relay() == 0
    assert len(endpoint.received) == 1


def test_each_subscriber_gets_its_own_signature(admin, endpoint):
    first = subscriber(admin, endpoint.url, "甲")
    second = services.subscriber_create(
        actor=admin, name="乙", kind="department", url=endpoint.url, secret="s" * 20
    )
    run_all()
    assert services.deliveries_relay() == 2
    by_delivery = {r.headers["X-Credit-Delivery"]: r for r in endpoint.received}
    for sub in (first, second):
        received = by_delivery[str(Delivery.objects.get(subscriber=sub).pk)]
        mac = hmac.new(sub.secret.encode(), received.body, hashlib.sha256).hexdigest()
        assert received.headers["X-Credit-Signature"] == f"sha256={mac}"


def test_a_failing_subscriber_is_retried_after_growing_pauses_then_given_up(admin, endpoint):
    # Given a subscriber that answers 500
    subscriber(admin, endpoint.url)
    endpoint.answer(500)
    run_all()
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


def test_a_retry_that_succeeds_is_delivered(admin, endpoint):
    subscriber(admin, endpoint.url)
    endpoint.answer(503)
    run_all()
    services.deliveries_relay()
    endpoint.answer(204)
    delivery = Delivery.objects.get()
    make_due(delivery)
    assert services.deliveries_relay() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    assert [r.headers["X-Credit-Delivery"] for r in endpoint.received] == [str(delivery.pk)] * 2


@pytest.mark.parametrize("status", [302, 404])
def test_anything_but_2xx_is_a_failure_and_redirects_are_not_followed(admin, endpoint, status):
    subscriber(admin, endpoint.url)
    endpoint.answer(status)
    run_all()
    assert services.deliveries_relay() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert str(status) in delivery.last_error
    assert [r.path for r in endpoint.received] == ["/hooks/credit"]  # not to /moved


def test_an_unreachable_subscriber_counts_an_attempt(admin):
    subscriber(admin, f"http://127.0.0.1:{free_port()}/closed")
    run_all()
    assert services.deliveries_relay() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()


def test_the_relay_sends_at_most_its_limit(admin, endpoint):
    subscriber(admin, endpoint.url, "甲")
    subscriber(admin, endpoint.url, "乙")
    subscriber(admin, endpoint.url, "丙")
    run_all()
    assert services.deliveries_relay(limit=2) == 2
    assert Delivery.objects.filter(status="pending").count() == 1
    assert services.deliveries_relay(limit=2) == 1
    assert len(endpoint.received) == 3


@pytest.mark.django_db(transaction=True)
def test_a_delivery_claimed_by_one_relay_is_skipped_by_another(endpoint):
    """Committed data and a second database session: one relay holds the row (as while it
    sends); another skips it instead of waiting or sending it too."""
    from ratings.defaults import load_defaults
    from ratings.models import EvaluationModel, Indicator, SupervisionTier

    load_defaults(EvaluationModel, Indicator, SupervisionTier, timezone.now())
    subscriber(factories.platform_admin(), endpoint.url)
    run, _chunks = services.run_start()  # nothing to rate: finished and pushed at once
    delivery = Delivery.objects.get(run=run)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM ratings_delivery WHERE id = %s FOR UPDATE", [delivery.pk]
            )
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
        actor=admin, name=" 某协会 ", kind="association", url="https://hooks.example.cn/credit"
    )
    assert created.name == "某协会" and created.active
    assert len(created.secret) == 64 and int(created.secret, 16) >= 0
    event = AuditEvent.objects.get(action="subscriber.create")
    assert event.target_id == str(created.pk)
    assert event.after == {
        "name": "某协会",
        "kind": "association",
        "url": "https://hooks.example.cn/credit",
    }
    assert created.secret not in json.dumps(event.after)
    other = services.subscriber_create(
        actor=admin, name="某银行", kind="bank", url="http://10.1.2.3:8080/hook"
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
    ],
)
def test_a_bad_subscriber_is_refused_and_nothing_written(admin, changes, code, field):
    data = {"name": "某银行", "kind": "bank", "url": "https://hooks.example.cn/credit"}
    with pytest.raises(DomainError) as raised:
        services.subscriber_create(actor=admin, **{**data, **changes})
    assert (raised.value.code, raised.value.field) == (code, field)
    assert str(raised.value.message)
    assert not Subscriber.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="subscriber.").exists()


def test_only_platform_administrators_manage_subscribers(samr_staff, admin, endpoint):
    with pytest.raises(PermissionDenied):
        services.subscriber_create(actor=samr_staff, name="某银行", kind="bank", url=endpoint.url)
    assert not Subscriber.objects.exists()
    bank = subscriber(admin, endpoint.url)
    with pytest.raises(PermissionDenied):
        services.subscriber_deactivate(actor=samr_staff, subscriber_id=bank.pk)
    bank.refresh_from_db()
    assert bank.active
    assert not AuditEvent.objects.filter(action="subscriber.deactivate").exists()


def test_deactivating_gives_up_pending_deliveries_and_later_runs_skip_it(admin, endpoint):
    bank = subscriber(admin, endpoint.url)
    first = run_all()
    services.subscriber_deactivate(actor=admin, subscriber_id=bank.pk)
    services.subscriber_deactivate(actor=admin, subscriber_id=bank.pk)  # twice: once
    assert AuditEvent.objects.filter(action="subscriber.deactivate").count() == 1
    delivery = Delivery.objects.get(run=first)
    assert delivery.status == "failed"
    run_all()
    assert Delivery.objects.count() == 1
    assert services.deliveries_relay() == 0
    assert endpoint.received == []


# --- the job and the admin ---------------------------------------------------------------------
def test_the_relay_job_is_scheduled_every_minute_and_registered(admin, endpoint):
    entry = installed_beat_schedule()["rating-deliveries"]
    assert entry["task"] == "ratings.tasks.rating_deliveries_relay"
    assert entry["schedule"] == 60
    assert entry["task"] in app.tasks
    subscriber(admin, endpoint.url)
    run_all()
    assert tasks.rating_deliveries_relay() == 1
    assert tasks.rating_deliveries_relay() == 0  # safe to run twice
    assert len(endpoint.received) == 1


def test_the_admin_adds_through_the_service_shows_the_secret_once_then_masked(client, admin):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/ratings/subscriber/add/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "某银行", "kind": "bank", "url": "ftp://example.cn/h"})
    assert refused.status_code == 200
    assert "The URL must be an http or https address" in refused.content.decode()
    assert not Subscriber.objects.exists()

    response = client.post(
        url,
        {"name": "某银行", "kind": "bank", "url": "https://hooks.example.cn/credit"},
        follow=True,
    )
    assert response.status_code == 200
    created = Subscriber.objects.get()
    assert created.secret in response.content.decode()  # shown this once
    assert AuditEvent.objects.filter(action="subscriber.create").count() == 1

    page = client.get(f"/admin/ratings/subscriber/{created.pk}/change/").content.decode()
    assert created.secret not in page and f"{created.secret[:4]}…" in page
    listing = client.get("/admin/ratings/subscriber/").content.decode()
    assert created.secret not in listing

    client.post(
        "/admin/ratings/subscriber/",
        {"action": "deactivate", "_selected_action": [created.pk]},
    )
    created.refresh_from_db()
    assert not created.active
    assert AuditEvent.objects.filter(action="subscriber.deactivate").count() == 1
    assert client.get("/admin/ratings/delivery/").status_code == 200
    assert client.get("/admin/ratings/delivery/?status=pending").status_code == 200
