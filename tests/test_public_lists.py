"""Public lists count at most the cap, then go on by key (credit_portal.pagination), shown on
the registry's data (a cross-app test: the kit itself imports no app)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_public_lists_count_at_most_the_cap(monkeypatch):
    from credit_portal.pagination import CappedPaginator
    from registry.models import CatalogueItem

    monkeypatch.setattr(CappedPaginator, "cap", 5)
    items = CatalogueItem.objects.order_by("code")
    total = items.count()
    assert total > 5
    paginator = CappedPaginator(items, 2)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)
    exact = CappedPaginator(items[:4], 2)
    assert (exact.count, exact.capped) == (4, False)


def test_the_decisions_api_goes_on_by_key_past_its_counted_pages(
    client, samr_staff, entity, monkeypatch
):
    import datetime

    from credit_portal.pagination import CappedPaginator
    from registry import services

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for n in range(5):
        made = services.decision_record(
            actor=samr_staff,
            uscc=entity.uscc,
            kind="penalty",
            document_number=f"京市监罚〔2026〕{900 + n}号",
            decision_date=datetime.date(2026, 9, n + 1),
            title=f"公示{n}",
            severity="general",
            penalty_type="fine",
            penalty_amount=100,
        )
        services.decision_publish(actor=samr_staff, decision_id=made.pk)
    first = client.get("/api/v1/decisions/").json()
    assert (first["count"], first["count_capped"]) == (2, True)
    assert [d["title"] for d in first["results"]] == ["公示4", "公示3"]
    assert "after=2026-09-04." in first["next"]
    rest = client.get(first["next"]).json()
    assert rest["count"] is None and rest["next"] is None
    assert [d["title"] for d in rest["results"]] == ["公示2", "公示1", "公示0"]
    bad = client.get("/api/v1/decisions/", {"after": "yesterday.1"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_after"


def walk(client, url: str, key: str) -> list[str]:
    """Every row of a list, following its next links: numbered pages, then keys."""
    seen: list[str] = []
    while url:
        page = client.get(url).json()
        seen += [row[key] for row in page["results"]]
        url = page["next"]
    return seen


def test_the_entities_and_records_apis_go_on_by_key_in_their_own_order(
    client, samr_staff, monkeypatch
):
    from credit_portal.pagination import CappedPaginator
    from registry.models import CreditRecord, MarketEntity
    from registry.tests import factories

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for n in range(4):
        made = factories.entity(by=samr_staff, name=f"键集{n}科技有限公司")
        factories.record(by=samr_staff, ent=made, title=f"键集记录{n}")
    codes = list(MarketEntity.objects.order_by("uscc").values_list("uscc", flat=True))
    first = client.get("/api/v1/entities/").json()
    assert first["count_capped"] and first["count"] == 2 and len(first["results"]) == 2
    assert f"after={codes[1]}" in first["next"]
    assert walk(client, "/api/v1/entities/", "uscc") == codes  # by code, each once
    newest = CreditRecord.objects.order_by("-created_at", "-id").values_list("title", flat=True)
    assert walk(client, "/api/v1/records/", "title") == list(newest)
    for url in ("/api/v1/entities/?after=", "/api/v1/records/?after=2026-01-01.x"):
        bad = client.get(url)
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_after", url


def test_a_ranked_search_is_not_continued_by_key(client, samr_staff, monkeypatch):
    from credit_portal.pagination import CappedPaginator
    from registry.tests import factories

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for n in range(4):
        factories.entity(by=samr_staff, name=f"排序测试{n}有限公司")
    first = client.get("/api/v1/entities/", {"q": "排序测试"}).json()
    assert first["count_capped"] and len(first["results"]) == 2
    assert first["next"] is None  # by rank: numbered pages only, no key in another order
