"""The demo commitments (the app's demo step): made through the services after seed_demo and
demo_users, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from commitments.demo import demo_commitments
from commitments.models import Commitment, CommitmentTemplate, VoluntaryDisclosure
from credit_portal.demo_steps import Context
from registry.models import EntityAccount
from registry.tests import factories

pytestmark = pytest.mark.django_db


def step(**options) -> str:
    """Run the step as manage.py demo_steps does, with a platform administrator; its output."""
    lines: list[str] = []
    demo_commitments(Context(actor=factories.platform_admin, write=lines.append), **options)
    return "\n".join(lines)


def test_demo_commitments_once():
    call_command("seed_demo", entities=150, seed=3, stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())
    assert "demo commitments:" in step(count=40)
    commitments = Commitment.objects.count()
    assert 20 <= commitments <= 41
    assert set(Commitment.objects.values_list("kind", flat=True)) >= {
        "approval",
        "missing_materials",
        "voluntary",
    }
    assert set(Commitment.objects.values_list("status", flat=True)) >= {"in_force", "fulfilled"}
    assert CommitmentTemplate.objects.filter(published_at__isnull=True).count() == 0
    account = EntityAccount.objects.get(user__username="entity-demo")
    assert Commitment.objects.filter(entity_id=account.entity_id, public=True).exists()
    assert VoluntaryDisclosure.objects.filter(status="verified").count() == 1
    output = step(count=40)  # a second run changes nothing
    assert Commitment.objects.count() == commitments
    assert "exist already" in output
