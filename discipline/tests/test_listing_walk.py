"""The listing state machine through its services: every state against every action. An
allowed action moves the listing; repeating the action that led to a state changes nothing;
anything else is refused and leaves no trace but its message."""

from __future__ import annotations

import pytest

from credit_portal.errors import DomainError
from discipline import services
from discipline.models import Listing

from . import factories
from .test_services import trace

L = Listing.Status

ACTIONS = {
    "list": lambda staff, pk: services.listing_decide(actor=staff, listing_id=pk, list_entity=True),
    "reject": lambda staff, pk: services.listing_decide(
        actor=staff, listing_id=pk, list_entity=False, note="证据不足"
    ),
    "suspend": lambda staff, pk: services.listing_suspend(
        actor=staff, listing_id=pk, reason="异议"
    ),
    "resume": lambda staff, pk: services.listing_resume(actor=staff, listing_id=pk, note="不成立"),
    "exit_restoration": lambda staff, pk: services.listing_exit(
        actor=staff, listing_id=pk, reason="restoration"
    ),
    "exit_revoked": lambda staff, pk: services.listing_exit(
        actor=staff, listing_id=pk, reason="revoked"
    ),
    "exit_objection": lambda staff, pk: services.listing_exit(
        actor=staff, listing_id=pk, reason="objection"
    ),
    "exit_expiry": lambda staff, pk: services.listing_exit(
        actor=staff, listing_id=pk, reason="expiry"
    ),
}
# How each state is reached from a heard proposal.
PATHS = {
    L.PROPOSED: [],
    L.LISTED: ["list"],
    L.SUSPENDED: ["list", "suspend"],
    L.REJECTED: ["reject"],
    L.EXITED: ["list", "exit_revoked"],
}
SAME = "same"  # already there: returns without writing
# (state, action) -> resulting state; absent: refused.
EXPECTED = {
    (L.PROPOSED, "list"): L.LISTED,
    (L.PROPOSED, "reject"): L.REJECTED,
    (L.LISTED, "list"): SAME,
    (L.LISTED, "suspend"): L.SUSPENDED,
    (L.LISTED, "resume"): SAME,
    (L.LISTED, "exit_restoration"): L.EXITED,
    (L.LISTED, "exit_revoked"): L.EXITED,
    (L.SUSPENDED, "suspend"): SAME,
    (L.SUSPENDED, "resume"): L.LISTED,
    (L.SUSPENDED, "exit_objection"): L.EXITED,
    (L.REJECTED, "reject"): SAME,
    **{(L.EXITED, a): SAME for a in ACTIONS if a.startswith("exit")},
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", list(PATHS))
def test_walk(state, action, samr_staff, entity, punishment_rule):
    listing = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    services.listing_statement_record(actor=samr_staff, listing_id=listing.pk, statement="陈述")
    for step in PATHS[state]:
        ACTIONS[step](samr_staff, listing.pk)
    listing.refresh_from_db()
    assert listing.status == state
    expected = EXPECTED.get((state, action))
    before = trace()
    if expected is None:
        with pytest.raises(DomainError) as info:
            ACTIONS[action](samr_staff, listing.pk)
        assert "/" in str(info.value.message)
        assert trace() == before
    elif expected == SAME:
        ACTIONS[action](samr_staff, listing.pk)
        assert trace() == before
    else:
        ACTIONS[action](samr_staff, listing.pk)
        listing.refresh_from_db()
        assert listing.status == expected
        assert trace()[0] > before[0]  # audited
