"""The demo commitments: made through the services after seed_demo and demo_users, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from commitments.models import Commitment, CommitmentTemplate, VoluntaryDisclosure
from registry.models import EntityAccount

pytestmark = pytest.mark.django_db


def test_demo_commitments_once(capsys):
    call_command("seed_demo", entities=150, seed=3)
    call_command("demo_users")
    call_command("seed_commitments_demo", count=40)
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
    call_command("seed_commitments_demo", count=40)  # a second run changes nothing
    assert Commitment.objects.count() == commitments
    assert "exist already" in capsys.readouterr().out
