"""The publicity clock's beat tasks (disclosure.tasks) call the registry's services (35/15).

Here rather than in the registry's tests: the registry sits below disclosure and its tests import
no higher app (the layers contract, docs/architecture.md)."""

from __future__ import annotations

import datetime

import pytest

from disclosure import tasks
from registry import services

pytestmark = pytest.mark.django_db


def test_clock_tasks_call_the_services(samr_staff, entity):
    services.decision_record(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number="京市监罚〔2026〕1号",
        decision_date=datetime.date(2026, 1, 5),
        title="未按规定公示年度报告",
        severity="general",
        penalty_type="fine",
        penalty_amount=5000,
    )
    assert tasks.publicity_flag_overdue() == 1
    assert tasks.publicity_windows_close() == {"expired": 0, "restoration_open": 0}
