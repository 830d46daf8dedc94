"""Writes of the ratings app (35/6, 35/7), one module per section:

- ``configuration``: the settings (public grades, chunk size) and ``platform_admin_required``;
- ``evaluation_models``: evaluation models, versioned;
- ``runs``: rating runs and their chunks (set-based, resumable), and the notice of a finished
  run published to subscribers through ``credit_portal.outbox``;
- ``tiers``: the supervision tiers' spot-check ratios;
- ``spot_checks``: double-random spot-check plans, draws and results.

Every public name is importable from here (``from ratings import services;
services.run_start(...)``). To replace a name in a test, patch the module that uses it (e.g.
``services.runs.CHANGED_MIN_CHUNK``): the names here are references to those modules'."""

from __future__ import annotations

from .configuration import platform_admin_required, rating_config_set
from .evaluation_models import model_create, model_publish, model_revise
from .runs import (
    CHANGED_MIN_CHUNK,
    CHANGED_SPLIT,
    RUN_FINISHED,
    WORK_MEM,
    chunk_rate,
    pending_chunks,
    run_finished_key,
    run_finished_publish,
    run_start,
)
from .spot_checks import RESULT_TITLES, check_result_record, plan_create, plan_draw
from .tiers import DEFAULT_TIERS, tier_ratios, tier_set

__all__ = [
    "CHANGED_MIN_CHUNK",
    "CHANGED_SPLIT",
    "DEFAULT_TIERS",
    "RESULT_TITLES",
    "RUN_FINISHED",
    "WORK_MEM",
    "check_result_record",
    "chunk_rate",
    "model_create",
    "model_publish",
    "model_revise",
    "pending_chunks",
    "plan_create",
    "plan_draw",
    "platform_admin_required",
    "rating_config_set",
    "run_finished_key",
    "run_finished_publish",
    "run_start",
    "tier_ratios",
    "tier_set",
]
