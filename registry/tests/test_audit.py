"""Audit events (credit_portal.audit) are written by the registry's services in the same transaction
as the change. Here, not in credit_portal's tests: layer 1 imports no app, tests included."""

from __future__ import annotations

import pytest
from django.db import transaction

from credit_portal.audit.models import AuditEvent
from credit_portal.middleware import reset_context, set_context
from registry import services
from registry.models import MarketEntity
from registry.tests import factories

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_rolled_back_change_leaves_no_audit_event(samr_staff):
    before = AuditEvent.objects.count()
    with pytest.raises(Boom), transaction.atomic():
        factories.entity(by=samr_staff)
        raise Boom
    assert AuditEvent.objects.count() == before
    assert MarketEntity.objects.count() == 0


def test_event_records_actor_department_source_request_id_and_change(samr_staff, entity):
    tokens = set_context("req-0123456789ab", "web")
    try:
        services.entity_update(
            actor=samr_staff, uscc=entity.uscc, address="北京市朝阳区建国路1号", reason="住所变更"
        )
    finally:
        reset_context(tokens)
    event = AuditEvent.objects.get(action="entity.update")
    assert (event.actor, event.department_code, event.source, event.request_id) == (
        samr_staff,
        "SAMR-110000",
        "web",
        "req-0123456789ab",
    )
    assert event.before["address"] == "" and event.after["address"] == "北京市朝阳区建国路1号"
    assert event.reason == "住所变更"
