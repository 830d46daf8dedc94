"""Who sees a rating: the entity and regulators the score and its explanation (reads logged),
the public the grade only where configuration says so; runs and grade changes for
subscribers; the workbench page with progress, distribution and changes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from credit_portal.audit.models import AccessLog
from ratings import services
from ratings.models import RatingConfig, RatingRun
from registry import services as registry_services
from registry.tests import factories

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def rated(samr_staff, entity) -> RatingRun:
    day = timezone.localdate() - datetime.timedelta(days=5)
    factories.record(by=samr_staff, ent=entity, severity="serious", decision_date=day)
    run, chunk_ids = services.run_start()
    for chunk_id in chunk_ids:
        services.chunk_rate(chunk_id)
    run.refresh_from_db()
    return run


def test_the_entity_and_regulators_see_the_explanation(rated, entity, entity_user, tax_staff):
    url = f"/api/v1/ratings/{entity.uscc}/"
    own = api(entity_user).get(url)
    assert own.status_code == 200, own.content
    body = own.json()
    assert (body["grade"], body["score"]) == ("C", "70.00")
    lines = {line["code"]: line for line in body["explanation"]}
    assert lines["penalty_serious"]["count"] == 1 and lines["penalty_serious"]["points"] == "-15.00"
    assert not AccessLog.objects.exists()  # the entity reading its own is not logged
    other = api(tax_staff).get(url)
    assert other.status_code == 200 and other.json()["score"] == "70.00"
    assert AccessLog.objects.filter(uscc=entity.uscc, what__startswith="rating").count() == 1


def test_the_public_sees_the_grade_only_where_configured(rated, entity):
    url = f"/api/v1/ratings/{entity.uscc}/"
    refused = api().get(url)
    assert refused.status_code == 403 and "不向社会公开" in refused.json()["detail"]
    RatingConfig.objects.create(public_grades=True)
    shown = api().get(url).json()
    assert shown["grade"] == "C" and "score" not in shown and "explanation" not in shown
    assert api().get("/api/v1/ratings/91110105XXXXXXXXX0/").status_code == 400


def test_runs_and_grade_changes_are_for_departments_and_data_users(rated, samr, entity):
    _client, token = registry_services.api_client_create(
        actor=factories.platform_admin(), name="银行", department=samr
    )
    bank = APIClient()
    bank.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    runs = bank.get("/api/v1/rating-runs/").json()["results"]
    assert runs[0]["id"] == rated.pk and runs[0]["percent"] == 100
    changes = bank.get(f"/api/v1/rating-runs/{rated.pk}/changes/").json()["results"]
    assert {c["uscc"]: c["grade"] for c in changes}[entity.uscc] == "C"
    csv = bank.get(f"/api/v1/rating-runs/{rated.pk}/export/")
    text = b"".join(csv.streaming_content).decode()
    assert csv.status_code == 200 and f"{entity.uscc},,C,70.00,{rated.pk}" in text
    assert AccessLog.objects.filter(purpose="export").count() == 1
    assert api().get("/api/v1/rating-runs/").status_code in (401, 403)
    assert bank.get("/api/v1/rating-runs/999999/").status_code == 404


def test_models_and_tiers_are_public():
    models = api().get("/api/v1/evaluation-models/").json()["results"]
    assert models[0]["code"] == "public" and len(models[0]["indicators"]) == 12
    tiers = api().get("/api/v1/supervision-tiers/").json()
    assert [t["grade"] for t in tiers] == ["A", "B", "C", "D"]


def test_the_workbench_page_shows_runs_distribution_and_changes(client, rated, samr_staff):
    client.force_login(samr_staff)
    html = client.get(reverse("ratings-workbench:overview")).content.decode()
    assert "100%" in html and "grade-data" in html and "评价数据有变化的主体" not in html
    client.force_login(factories.platform_admin())
    html = client.get(reverse("ratings-workbench:overview")).content.decode()
    assert "评价数据有变化的主体" in html


def test_a_platform_admin_starts_a_changed_run_from_the_workbench(client, rated, samr_staff):
    client.force_login(factories.platform_admin())
    response = client.post(reverse("ratings-workbench:start"), {"kind": "changed"})
    assert response.status_code == 302
    assert RatingRun.objects.count() == 2
    client.force_login(samr_staff)
    assert client.post(reverse("ratings-workbench:start"), {"kind": "full"}).status_code == 302
    assert RatingRun.objects.count() == 2  # refused with a message: staff do not start runs


def test_the_entity_page_explains_for_regulators_and_the_entity(
    client, rated, entity, samr_staff, entity_user
):
    client.force_login(samr_staff)
    html = client.get(reverse("ratings-workbench:entity", args=[entity.uscc])).content.decode()
    assert "严重行政处罚（3年内）" in html and "70.00" in html
    client.force_login(entity_user)
    html = client.get(reverse("ratings:mine")).content.decode()
    assert "严重行政处罚（3年内）" in html
    assert client.get(reverse("ratings-workbench:entity", args=[entity.uscc])).status_code == 403


def test_the_public_entity_page_shows_the_grade_only_where_configured(
    client, rated, entity, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    cache.clear()
    url = reverse("public:entity", args=[entity.uscc])
    assert "公共信用综合评价等级" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_config_set(
            actor=factories.platform_admin(), public_grades=True, chunk_size=50_000
        )
    html = client.get(url).content.decode()  # a new cache key: not yesterday's page
    assert "公共信用综合评价等级" in html and "70.00" not in html
