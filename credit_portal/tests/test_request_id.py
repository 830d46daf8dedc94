"""Request ids: made per request, written on audit events, and carried into Celery tasks over
the real broker (Redis when REDIS_URL is set, otherwise kombu's filesystem transport)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker

from credit_portal.audit.models import AuditEvent
from credit_portal.audit.services import audit_event_record
from credit_portal.celery import app
from credit_portal.middleware import HEADER, get_request_id, get_source, reset_context, set_context


@app.task(name="tests.record_request_id")
def record_request_id(label: str) -> None:
    """Probe task: writes what the worker sees as its request id and source."""
    audit_event_record(
        actor=None,
        action="test.probe",
        target_type="probe",
        target_id=label,
        after={"seen_request_id": get_request_id(), "source": get_source()},
    )


def test_each_response_carries_a_request_id(client, db):
    first = client.get("/")[HEADER]
    second = client.get("/")[HEADER]
    assert len(first) == 32 and first != second


def test_a_well_formed_incoming_id_is_kept_and_a_bad_one_replaced(client, db):
    assert client.get("/", headers={HEADER: "proxy-id-12345678"})[HEADER] == "proxy-id-12345678"
    assert client.get("/", headers={HEADER: "<script>"})[HEADER] != "<script>"


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_request_id_travels_into_a_celery_task_over_the_real_broker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        tokens = set_context("req-abcdef123456", "web")
        try:
            record_request_id.delay("with-request")
        finally:
            reset_context(tokens)
        record_request_id.delay("without-request")
        event = _wait_for("with-request")
        other = _wait_for("without-request")
    assert event.after == {"seen_request_id": "req-abcdef123456", "source": "task"}
    assert event.request_id == "req-abcdef123456" and event.source == "task"
    assert len(other.after["seen_request_id"]) == 32  # a task started outside a request


def _wait_for(label: str, timeout: float = 30) -> AuditEvent:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = AuditEvent.objects.filter(action="test.probe", target_id=label).first()
        if event:
            return event
        time.sleep(0.1)
    raise AssertionError(f"task {label} did not run within {timeout}s")
