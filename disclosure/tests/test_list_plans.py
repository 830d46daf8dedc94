"""The public lists' plans (issue 17): each first page and each page by key reads its index in
the list's order and stops at the page, never a scan and sort of the table. The planner is
told to avoid sorts and sequential scans, as it does at a province's scale; a list that no
index serves in its order then shows a Sort node and fails here."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection

from disclosure import selectors
from registry.models import Decision, MarketEntity
from registry.tests.plans import explain

from .util import decide

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    return explain(queryset, "seqscan", "sort", "incremental_sort")


@pytest.fixture
def board(samr_staff, entity):
    for n in range(3):
        decide(samr_staff, entity, publish=True, decision_date=datetime.date(2026, 9, n + 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_decision")


@pytest.mark.parametrize(
    "filters",
    [
        selectors.PublicityFilter(),
        selectors.PublicityFilter(date_from=datetime.date(2026, 1, 1)),
        # At scale the kind's own index; on a few test rows either serves the order.
        selectors.PublicityFilter(kind=Decision.Kind.PENALTY),
    ],
)
def test_the_board_reads_its_index_newest_first(board, filters):
    decisions = selectors.publicity_decisions(filters)
    deep = selectors.publicity_after(decisions, (datetime.date(2026, 9, 2), 10**6))
    for page in (decisions[:21], deep[:21]):
        shown = plan(page)
        served = re.search(r"Index Scan using decision_published\w* on registry_decision", shown)
        assert served, shown
        assert "Sort" not in shown, shown


def test_the_entities_api_goes_on_by_code_through_an_index_in_code_order(board):
    after = MarketEntity.objects.filter(region__startswith="11", uscc__gt="9").order_by("uscc")
    shown = plan(after[:21])
    assert "Index Cond: ((uscc)::text > '9'::text)" in shown, shown  # starts at the key
    assert "Sort" not in shown, shown
