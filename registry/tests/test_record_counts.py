"""The nightly rating's record counts (``selectors.record_counts_sql``), property-based: random
histories of records, corrections and revocations, with the data point ("as at") cut at a
random step, then every count compared with a plain reading of the rule: a record counts
when it was recorded by then, is not a revocation and was not superseded by then."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_portal.errors import Conflict
from registry import selectors, services
from registry.models import CatalogueItem, CreditRecord

from . import factories

pytestmark = pytest.mark.django_db

SEVERITIES = ["serious", "general", "minor"]
ADD = st.tuples(
    st.just("add"), st.sampled_from(["CF", "JC"]), st.sampled_from(SEVERITIES),
    st.integers(0, 800),
)  # fmt: skip
CORRECT = st.tuples(
    st.just("correct"), st.integers(0, 30), st.sampled_from(SEVERITIES), st.integers(0, 800)
)
REVOKE = st.tuples(st.just("revoke"), st.integers(0, 30))
CUT = st.tuples(st.just("cut"))
HISTORY = st.lists(st.one_of(ADD, ADD, CORRECT, REVOKE, CUT), min_size=1, max_size=14)


def _counts(uscc: str, as_at: datetime.datetime, conditions: dict[str, str]) -> dict[str, int]:
    sql = selectors.record_counts_sql(lambda col: f"{col} = %(uscc)s", list(conditions.items()))
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"uscc": uscc, "as_at": as_at, "as_of": timezone.localtime(as_at).date()}
        )
        row = cursor.fetchone()
        names = [c.name for c in cursor.description]
    return (
        {name: 0 for name in conditions}
        if row is None
        else dict(zip(names[1:], row[1:], strict=True))
    )


def _expected(uscc: str, as_at: datetime.datetime, penalty_id: int) -> dict[str, int]:
    as_of = timezone.localtime(as_at).date()
    records = list(CreditRecord.objects.filter(entity_id=uscc))
    superseded = {r.supersedes_id for r in records if r.supersedes_id and r.created_at <= as_at}
    live = [
        r
        for r in records
        if r.created_at <= as_at and r.action != "revocation" and r.pk not in superseded
    ]

    def day(r: CreditRecord) -> datetime.date:
        return r.decision_date or r.conduct_date or timezone.localtime(r.created_at).date()

    return {
        "every": len(live),
        "serious_penalties": sum(
            1 for r in live if r.catalogue_item_id == penalty_id and r.severity == "serious"
        ),
        "penalties_in_a_year": sum(
            1
            for r in live
            if r.catalogue_item_id == penalty_id and day(r) > as_of - datetime.timedelta(365)
        ),
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=HISTORY)
def test_counts_follow_corrections_revocations_and_the_data_point(samr_staff, history):
    entity = factories.entity(by=samr_staff)
    other = factories.entity(by=samr_staff)  # its records must never be counted
    factories.record(by=samr_staff, ent=other, severity="serious")
    today = timezone.localdate()
    made: list[CreditRecord] = []
    as_at = None
    for step in history:
        if step[0] == "add":
            _op, code, severity, days_ago = step
            made.append(
                factories.record(
                    by=samr_staff,
                    ent=entity,
                    catalogue_code=code,
                    severity=severity if code == "CF" else "none",  # inspections have none
                    decision_date=today - datetime.timedelta(days=days_ago),
                )
            )
        elif step[0] in ("correct", "revoke") and made:
            target = made[step[1] % len(made)]
            changes = (
                {
                    "severity": step[2] if target.severity != "none" else "none",
                    "decision_date": today - datetime.timedelta(days=step[3]),
                }
                if step[0] == "correct"
                else {}
            )
            try:
                made.append(
                    services.credit_record_supersede(
                        actor=samr_staff,
                        record_id=target.pk,
                        action="correction" if step[0] == "correct" else "revocation",
                        reason="测试",
                        **changes,
                    )
                )
            except Conflict:  # superseded already, or a revocation: refused, nothing written
                pass
        elif step[0] == "cut" and as_at is None:
            as_at = timezone.now()
    as_at = as_at or timezone.now()
    penalty = CatalogueItem.objects.get(code="CF").pk
    conditions = {
        "every": "true",
        "serious_penalties": f"x.catalogue_item_id IN ({penalty}) AND x.severity IN ('serious')",
        "penalties_in_a_year": (
            f"x.catalogue_item_id IN ({penalty}) AND x.day > %(as_of)s::date - 365"
        ),
    }
    assert _counts(entity.uscc, as_at, conditions) == _expected(entity.uscc, as_at, penalty)


def test_catalogue_kinds_give_every_item_its_kind_and_polarity():
    penalty = CatalogueItem.objects.get(code="CF").pk
    catalogue = selectors.catalogue_kinds()
    assert catalogue[penalty] == ("penalty", "negative")
    assert catalogue == {
        item.pk: (item.kind, item.polarity) for item in CatalogueItem.objects.all()
    }
