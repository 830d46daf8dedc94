"""Public reads carry a statement timeout (issue 17): PostgreSQL cancels a query past it, the
visitor gets a clear 503 within seconds, and the connection's setting is back to its default
afterwards (persistent connections serve department pages next)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from credit_portal.query_limits import PublicStatementTimeoutMiddleware, bounded

pytestmark = pytest.mark.django_db


def timeout_now() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def slow_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("done")


def run(path: str, *, user=None, settings=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    middleware = PublicStatementTimeoutMiddleware(slow_view)
    try:
        return middleware(request)
    except Exception as exc:  # what Django's handler would pass to process_exception
        return middleware.process_exception(request, exc)


# Autocommit, as in production: the cancelled statement leaves no transaction to roll back.
@pytest.mark.django_db(transaction=True)
def test_a_slow_public_page_is_stopped_with_a_clear_error(settings):
    settings.PUBLIC_QUERY_TIMEOUT_MS = 100
    before = timeout_now()
    response = run("/publicity/")
    assert response.status_code == 503
    assert "查询耗时过长" in response.content.decode()
    assert timeout_now() == before


@pytest.mark.django_db(transaction=True)
def test_an_api_read_is_stopped_with_a_json_error(settings):
    settings.PUBLIC_QUERY_TIMEOUT_MS = 100
    response = run("/api/v1/decisions/")
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "query_timeout"


def test_department_pages_and_writes_are_not_bounded(samr_staff):
    factory = RequestFactory()
    page = factory.get("/workbench/decisions/")
    page.user = samr_staff
    post = factory.post("/objections/new/")
    post.user = AnonymousUser()
    admin = factory.get("/admin/registry/")
    admin.user = AnonymousUser()
    public = factory.get("/entity/x/")
    public.user = AnonymousUser()
    signed_in_api = factory.get("/api/v1/records/")
    signed_in_api.user = samr_staff
    assert [bounded(r) for r in (page, post, admin, public, signed_in_api)] == [
        False,
        False,
        False,
        True,
        True,
    ]


def test_the_real_stack_sets_the_limit_for_an_anonymous_page(client, settings, monkeypatch):
    seen = []
    from credit_portal import query_limits

    real = query_limits._set_timeout
    monkeypatch.setattr(
        query_limits, "_set_timeout", lambda ms, alias="default": (seen.append(ms), real(ms, alias))
    )
    assert client.get("/").status_code == 200
    assert seen == [settings.PUBLIC_QUERY_TIMEOUT_MS, None]


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


def test_the_api_says_when_its_count_is_capped(client, monkeypatch):
    from credit_portal.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 1)
    body = client.get("/api/v1/list-rules/").json()
    assert "count_capped" in body


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
