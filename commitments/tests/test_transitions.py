"""Every pair of commitment states: allowed ones pass their guard, all others are refused
with a message (STYLE: a parametrized walk of the state table)."""

from __future__ import annotations

import itertools

import pytest

from commitments import transitions
from commitments.models import Commitment

S = Commitment.Status
ALLOWED = {
    (S.IN_FORCE, S.FULFILLED),
    (S.IN_FORCE, S.PARTIAL),
    (S.IN_FORCE, S.BREACHED),
    (S.PARTIAL, S.FULFILLED),
    (S.PARTIAL, S.BREACHED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S.values, S.values)))
def test_every_pair(current, target):
    reason = transitions.refusal(current, target, unsupplied=0)
    if (current, target) in ALLOWED:
        assert reason is None
    else:
        assert reason and "不能改为" in reason


@pytest.mark.parametrize("current", [S.IN_FORCE, S.PARTIAL])
def test_fully_kept_only_with_every_material_supplied(current):
    assert "2项容缺材料未补正" in transitions.refusal(current, S.FULFILLED, unsupplied=2)
    assert transitions.refusal(current, S.BREACHED, unsupplied=2) is None


def test_the_table_is_what_the_fulfilments_lead_to():
    assert set(transitions.TRANSITIONS) == ALLOWED
    assert transitions.FULFILMENT_STATUS == {
        "full": S.FULFILLED,
        "partial": S.PARTIAL,
        "none": S.BREACHED,
    }
