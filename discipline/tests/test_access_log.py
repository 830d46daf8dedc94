"""Every read of a listing that is not public by anyone but its recognising department or
the entity itself is access-logged (docs/architecture.md §4, AccessLog); public listings are not."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from credit_portal.audit.models import AccessLog
from discipline.models import ListKind

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(samr, samr_staff, entity):
    attention = factories.rule(samr, kind=ListKind.ATTENTION)
    punishment = factories.rule(samr)
    return {
        "attention": factories.listed(by=samr_staff, entity=entity, rule=attention),
        "public": factories.listed(by=samr_staff, entity=entity, rule=punishment),
    }


def test_another_department_reading_a_non_public_listing_is_logged(listings, tax_staff, entity):
    api = APIClient()
    api.force_authenticate(tax_staff)
    response = api.get(f"/api/v1/listings/{listings['attention'].pk}/", {"purpose": "许可审查"})
    assert response.status_code == 200
    (log,) = AccessLog.objects.all()
    assert (log.uscc, log.purpose, log.department_code) == (entity.uscc, "许可审查", "TAX-110000")
    assert str(listings["attention"].pk) in log.what
    api.get(f"/api/v1/listings/{listings['public'].pk}/")
    assert AccessLog.objects.count() == 1  # public: not logged
    api.get("/api/v1/listings/")
    assert AccessLog.objects.count() == 2  # the page holds the attention listing


def test_the_recognising_department_and_the_entity_are_not_logged(
    listings, samr_staff, entity_user, client, tax_staff
):
    api = APIClient()
    api.force_authenticate(samr_staff)
    api.get("/api/v1/listings/")
    api.get(f"/api/v1/listings/{listings['attention'].pk}/")
    api.force_authenticate(entity_user)
    api.get(f"/api/v1/listings/{listings['attention'].pk}/")
    assert AccessLog.objects.count() == 0
    client.force_login(tax_staff)
    page = client.get(f"/workbench/discipline/listings/{listings['attention'].pk}/")
    assert page.status_code == 200
    assert AccessLog.objects.get().purpose == "workbench view"
