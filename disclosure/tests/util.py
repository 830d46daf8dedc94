"""Decisions for the public-site tests, recorded and published through the registry services."""

from __future__ import annotations

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.utils import timezone

from registry import services
from registry.models import Decision

SERIAL = itertools.count(1)
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date.fromisoformat


def local(when: str) -> datetime.datetime:
    """'2026-10-15 23:30' in Beijing time, as an aware datetime."""
    return datetime.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)


def set_clock(monkeypatch, when: str) -> None:
    """Move the clock: timezone.now (and so localdate and auto_now fields) reads ``when``."""
    moment = local(when)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def decide(by, entity, *, publish: bool = False, **kwargs) -> Decision:
    """Record a decision (a general penalty unless told otherwise); publish it if asked."""
    kind = kwargs.pop("kind", "penalty")
    defaults = {
        "document_number": f"测罚〔2026〕{next(SERIAL)}号",
        "decision_date": D("2026-09-30"),
        "title": f"测试决定{next(SERIAL)}",
        "severity": "general" if kind == "penalty" else "none",
    }
    if kind == "penalty":
        defaults.update(penalty_type="fine", penalty_amount=5000)
    defaults.update(kwargs)
    decision = services.decision_record(actor=by, uscc=entity.uscc, kind=kind, **defaults)
    if publish:
        decision = services.decision_publish(actor=by, decision_id=decision.pk)
    return decision


def withdraw(by, decision: Decision) -> Decision:
    return services.decision_change(
        actor=by, decision_id=decision.pk, change="revoked", reason="行政复议撤销"
    )
