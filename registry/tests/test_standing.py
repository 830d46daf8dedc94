"""The standing summary (docs/architecture.md §3): kept by the higher apps through one audited
service, read by the lower ones ("is this entity in good standing?", 35/1)."""

from __future__ import annotations

import pytest

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import DomainError
from registry import selectors, services
from registry.models import EntityStanding

pytestmark = pytest.mark.django_db


def test_an_entity_with_nothing_recorded_is_in_good_standing(entity):
    assert selectors.standing_problems(entity, min_grade="B") == []
    assert not EntityStanding.objects.exists()  # reading writes nothing


@pytest.mark.parametrize(
    ("fields", "min_grade", "words"),
    [
        ({"punishment_listed": True}, "", ["失信联合惩戒对象名单"]),
        ({"attention_listed": True}, "", ["重点关注名单"]),
        ({"grade": "C"}, "B", ["信用等级为C，低于B级"]),
        ({"grade": "C"}, "C", []),
        ({"grade": "D"}, "", []),  # no grade configured: grades do not count
        ({"red_listed": True, "grade": "A"}, "B", []),
        (
            {"punishment_listed": True, "attention_listed": True, "grade": "D"},
            "B",
            ["失信联合惩戒对象名单", "重点关注名单", "低于B级"],
        ),
    ],
)
def test_good_standing_follows_the_summary(samr_staff, entity, fields, min_grade, words):
    services.standing_update(actor=samr_staff, uscc=entity.uscc, **fields)
    entity.refresh_from_db()
    problems = [str(p) for p in selectors.standing_problems(entity, min_grade=min_grade)]
    assert len(problems) == len(words)
    for problem, word in zip(problems, words, strict=True):
        assert word in problem


def test_updates_are_audited_and_a_repeat_writes_nothing(samr_staff, entity):
    services.standing_update(actor=samr_staff, uscc=entity.uscc, punishment_listed=True)
    services.standing_update(actor=samr_staff, uscc=entity.uscc, punishment_listed=True)
    events = AuditEvent.objects.filter(action="standing.update")
    assert events.count() == 1
    event = events.get()
    assert event.before["punishment_listed"] is False and event.after["punishment_listed"]
    services.standing_update(actor=None, uscc=entity.uscc, punishment_listed=False, reason="移出")
    assert EntityStanding.objects.get().punishment_listed is False
    assert events.count() == 2 and events.latest("pk").reason == "移出"


@pytest.mark.parametrize(
    ("fields", "code"),
    [({"grade": "E"}, "invalid_grade"), ({"name": "x"}, "invalid")],
)
def test_bad_fields_are_refused_and_nothing_written(samr_staff, entity, fields, code):
    with pytest.raises(DomainError) as raised:
        services.standing_update(actor=samr_staff, uscc=entity.uscc, **fields)
    assert raised.value.code == code
    assert not EntityStanding.objects.exists()
    assert not AuditEvent.objects.filter(action="standing.update").exists()
