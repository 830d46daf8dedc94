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


def test_the_api_says_when_its_count_is_capped(client, monkeypatch):
    from credit_portal.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 1)
    body = client.get("/api/v1/list-rules/").json()
    assert "count_capped" in body
