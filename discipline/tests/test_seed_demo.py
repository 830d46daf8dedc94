"""The demo lists (the app's demo step): made through the services after seed_demo and
demo_users, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from credit_portal.demo_steps import Context
from discipline.demo import demo_discipline
from discipline.models import AccessBan, Listing, ListRule, Measure, MeasureTask
from registry.models import EntityAccount
from registry.tests import factories

pytestmark = pytest.mark.django_db


def step(**options) -> str:
    """Run the step as manage.py demo_steps does, with a platform administrator; its output."""
    lines: list[str] = []
    demo_discipline(Context(actor=factories.platform_admin, write=lines.append), **options)
    return "\n".join(lines)


def test_demo_lists_once():
    call_command("seed_demo", entities=300, seed=3, stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())
    assert "demo lists:" in step()
    assert ListRule.objects.filter(published_at__isnull=True).count() == 0
    assert Measure.objects.filter(published_at__isnull=True).count() == 0
    statuses = set(Listing.objects.values_list("status", flat=True))
    assert statuses == {"proposed", "listed", "suspended", "exited"}
    assert set(Listing.objects.values_list("kind", flat=True)) == {"punishment", "attention", "red"}
    # Each listing in force has one task per implementing department, some fed back.
    assert MeasureTask.objects.filter(status="fed_back").exists()
    assert AccessBan.objects.filter(ends__isnull=True).count() == 1
    account = EntityAccount.objects.get(user__username="entity-demo")
    assert Listing.objects.filter(entity_id=account.entity_id, status="proposed").exists()
    listings = Listing.objects.count()
    output = step()  # a second run changes nothing
    assert Listing.objects.count() == listings
    assert "exist already" in output
