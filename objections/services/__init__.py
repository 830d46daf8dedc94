"""Every write of the objections app (2019 No. 35, art. 17; 2016 No. 33, arts. 13 and 22).

One module per section: ``filing`` (filing an objection, marking the item and suspending what
rests on it, forwarding), ``outcomes`` (proposal, return, approval and carrying out),
``tipoffs`` and ``clocks`` (the hourly job); ``_common`` holds the private helpers. Callers
import from ``objections.services``, which re-exports every public name below.
"""

from ._common import CONFIG_LIMITS, objection_config, objection_config_set
from .clocks import objections_clock
from .filing import Filed, Item, item_resolve, objection_file, objection_forward, objection_mark
from .outcomes import objection_approve, objection_propose, objection_return
from .tipoffs import tipoff_claim, tipoff_close, tipoff_file, tipoff_forward

__all__ = [
    "CONFIG_LIMITS",
    "Filed",
    "Item",
    "item_resolve",
    "objection_approve",
    "objection_config",
    "objection_config_set",
    "objection_file",
    "objection_forward",
    "objection_mark",
    "objection_propose",
    "objection_return",
    "objections_clock",
    "tipoff_claim",
    "tipoff_close",
    "tipoff_file",
    "tipoff_forward",
]
