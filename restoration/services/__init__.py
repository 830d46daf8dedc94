"""Writes of the restoration app (2019 No. 35, art. 13; 2016 No. 33, art. 21).

``applications`` (the entity applies on the public site), ``handling`` (accept or refuse,
propose, approve with four eyes, the effects of an approval) and ``clocks`` (the hourly job:
escalation, lost after-commit work, republication after a broken commitment); ``_common``
holds the settings and the private helpers. Callers import from ``restoration.services``.
"""

from ._common import (
    CONFIG_LIMITS,
    restoration_bar_add,
    restoration_bar_retire,
    restoration_config,
    restoration_config_set,
)
from .applications import restoration_apply, restoration_template
from .clocks import restoration_clock, restorations_republish
from .handling import (
    restoration_accept,
    restoration_approve,
    restoration_effects_apply,
    restoration_propose,
    restoration_refuse,
    restoration_return,
)

__all__ = [
    "CONFIG_LIMITS",
    "restoration_accept",
    "restoration_apply",
    "restoration_approve",
    "restoration_bar_add",
    "restoration_bar_retire",
    "restoration_clock",
    "restoration_config",
    "restoration_config_set",
    "restoration_effects_apply",
    "restoration_propose",
    "restoration_refuse",
    "restoration_return",
    "restoration_template",
    "restorations_republish",
]
