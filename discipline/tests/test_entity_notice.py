"""The entity is told (35/9): while a proposal against it waits for its statement, every page
shows its signed-in users a notice linking to where it states its case; nobody else sees it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discipline import services

from . import factories

pytestmark = pytest.mark.django_db
NOTICE = "拟将本主体列入信用名单的告知"


def test_the_entity_sees_the_notice_until_the_proposal_is_decided(
    client, samr, samr_staff, entity, entity_user
):
    rule = factories.rule(samr)
    client.force_login(entity_user)
    assert NOTICE not in client.get("/").content.decode()
    listing = factories.proposal(by=samr_staff, entity=entity, rule=rule)
    page = client.get("/lists/").content.decode()
    assert NOTICE in page and 'href="/lists/mine/"' in page
    services.listing_statement_record(actor=samr_staff, listing_id=listing.pk, statement="书面")
    services.listing_decide(actor=samr_staff, listing_id=listing.pk, list_entity=False, note="不予")
    assert NOTICE not in client.get("/lists/").content.decode()


def test_nobody_else_sees_it_and_the_public_pays_no_query(
    client, samr, samr_staff, entity, django_user_model
):
    rule = factories.rule(samr)
    factories.proposal(by=samr_staff, entity=entity, rule=rule)
    with CaptureQueriesContext(connection) as anonymous:
        assert NOTICE not in client.get("/lists/rules/").content.decode()
    client.force_login(samr_staff)
    assert NOTICE not in client.get("/lists/rules/").content.decode()
    other = factories.registry_factories.entity(by=samr_staff, name="北京另一家科技有限公司")
    other_user = factories.registry_factories.entity_user(other, username="other-entity")
    client.force_login(other_user)
    assert NOTICE not in client.get("/lists/rules/").content.decode()
    assert not any("discipline_listing" in q["sql"] for q in anonymous.captured_queries)
