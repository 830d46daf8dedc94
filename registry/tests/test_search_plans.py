"""The name search reads the register through its indexes, never by scanning it (issue 17:
the old ``UPPER(search_names) LIKE`` read every row, 170 ms at 100,000 entities and linear
beyond). On a test-sized table the planner would scan anyway, so the plans are read with
whole-table and whole-index scans priced out: a query no index condition can serve still shows
its ``Seq Scan``, and the test fails."""

from __future__ import annotations

import pytest
from django.db import connection

from registry import names, selectors
from registry.tests import factories
from registry.tests.plans import explain

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    # Scans that read a whole table or index are priced out: a sequential scan, and a full
    # scan of some other index standing in for one (the embedded PostgreSQL's planner
    # prefers that on a three-row table). What remains must be a lookup by condition.
    return explain(queryset, "seqscan", "indexscan", "indexonlyscan")


@pytest.fixture
def register(samr_staff):
    for name in ("北京华信科技有限公司", "深圳华为技术服务股份有限公司", "汕尾市越永运输有限公司"):
        factories.entity(by=samr_staff, name=name)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_marketentity")


@pytest.mark.parametrize("query", ["华信", "华信科技", "越永运输", "深圳华为技术服务"])
def test_a_name_search_uses_its_indexes(register, query):
    shown = plan(selectors.entity_search(query, limit=20))
    assert "Seq Scan on registry_marketentity" not in shown, shown
    # Two characters only the bigram index can serve; longer ones the trigram index may too.
    served = "entity_search_bigram" in shown or (len(query) > 2 and "entity_search_trgm" in shown)
    assert served, shown


@pytest.mark.parametrize("query", ["华信", "华信科技有限公司", "越永"])
def test_the_index_finds_what_a_substring_search_finds(register, query):
    core = names.strip_generic(query)
    found = {e.name for e in selectors.entity_search(query)}
    substring = {
        e.name
        for e in selectors.MarketEntity.objects.all()
        if core in names.search_text(e.name, e.former_names)
    }
    assert substring <= found


def test_the_sql_pieces_are_the_python_pieces(db):
    text = "汕尾市越永运输 | 丰旭环境"
    with connection.cursor() as cursor:
        cursor.execute("SELECT registry_bigrams(%s)", [text])
        assert sorted(cursor.fetchone()[0]) == names.bigrams(text)


def test_the_ledger_is_vacuumed_for_inserts_often_enough_for_index_only_reads():
    """The rating's index-only reads need the visibility map current (migration 0015)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'registry_creditrecord'")
        assert "autovacuum_vacuum_insert_scale_factor=0.01" in cursor.fetchone()[0]


def test_the_public_records_list_reads_newest_first_through_its_index(samr_staff, entity):
    """The API's records list and its keys: newest first through ``record_created``, the
    superseded records and ended windows as anti-joins (``selectors._effective``), so that the
    first page stops after its rows (no sort of the ledger: 28 s at 1M entities before)."""
    from django.contrib.auth.models import AnonymousUser

    from registry.roles import viewer_for

    for n in range(3):
        factories.record(by=samr_staff, ent=entity, title=f"计划{n}")
    records = selectors.records_visible(viewer_for(AnonymousUser())).order_by("-created_at", "-id")
    sql = str(records.query)
    assert sql.count("NOT EXISTS") == 2, sql  # superseded, and windows that ended
    shown = explain(records[:20], "seqscan", "sort", "incremental_sort")
    assert "Index Scan Backward using record_created on registry_creditrecord" in shown, shown
