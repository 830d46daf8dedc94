"""The double-random draw (35/7), as a pure function of its inputs and seed: targets drawn at
random within each supervision tier at the tier's ratio, then inspectors drawn at random from
the pool for each target, leaving out any with a conflict (the inspector's department is the
entity's registration authority, or the inspector checked the same entity recently). The
inputs and the seed are stored with the plan, so the draw can be replayed and audited."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TIERS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Drawn:
    uscc: str
    tier: str
    inspectors: tuple[int, ...]  # empty: not enough inspectors without a conflict


def target_count(population: int, ratio: Decimal) -> int:
    """How many of a tier are checked: its size times its ratio, rounded half up."""
    return int((Decimal(population) * Decimal(ratio)).quantize(Decimal(1), ROUND_HALF_UP))


def draw(
    *,
    seed: str,
    population: Mapping[str, Sequence[tuple[str, int | None]]],
    ratios: Mapping[str, Decimal],
    inspectors: Sequence[tuple[int, int | None]],
    recent: Sequence[tuple[str, int]],
    per_check: int,
) -> list[Drawn]:
    """``population``: per tier, (USCC, registration authority id) of each entity;
    ``inspectors``: (user id, department id); ``recent``: (USCC, inspector id) pairs of recent
    checks. The same inputs and seed always give the same draw."""
    rng = random.Random(f"credit-portal-spot-check:{seed}")
    recently = {(u, i) for u, i in recent}
    pool = sorted(inspectors)
    result: list[Drawn] = []
    for tier in TIERS:
        members = sorted(population.get(tier, ()))
        k = min(len(members), target_count(len(members), ratios.get(tier, Decimal(0))))
        for uscc, authority in sorted(rng.sample(members, k)):
            eligible = [
                user
                for user, department in pool
                if (authority is None or department != authority) and (uscc, user) not in recently
            ]
            chosen = (
                tuple(sorted(rng.sample(eligible, per_check))) if len(eligible) >= per_check else ()
            )
            result.append(Drawn(uscc=uscc, tier=tier, inspectors=chosen))
    return result


def draw_from_inputs(inputs: dict, seed: str) -> list[Drawn]:
    """``draw`` on the inputs as stored with a plan (JSON)."""
    return draw(
        seed=seed,
        population={t: [tuple(m) for m in ms] for t, ms in inputs["population"].items()},
        ratios={g: Decimal(r) for g, r in inputs["ratios"].items()},
        inspectors=[tuple(i) for i in inputs["inspectors"]],
        recent=[tuple(r) for r in inputs["recent"]],
        per_check=inputs["per_check"],
    )
