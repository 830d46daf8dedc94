"""Demo steps that apps register: what each app adds to the demo data after the synthetic
register (``manage.py seed_demo``) and the demo sign-ins (``manage.py demo_users``) exist.

An app registers its step from its ``AppConfig.ready``; the step's code lives in that app's own
``demo.py`` (``commitments/demo.py``, ``discipline/demo.py``, ``ratings/demo.py``), beside the
services it calls, so adding an app's demo data touches that app only. ``manage.py demo_steps``
(the demo app, which the run command calls) runs the registered steps in their order.

Every step is idempotent as a whole: it does its work once and, when it finds its data there
already, says so and changes nothing. Orders leave room between apps: by convention ten times
the app's layer (commitments 30, discipline 40, ratings 50), so a new app slots in between
without renumbering the others. Layer 1: this module names no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Context:
    """What the runner hands every step.

    ``actor`` returns the seeding sign-in (a platform administrator that cannot sign in), created
    on first call, so a step that finds nothing to do creates no user. ``write`` prints one line
    of the step's output (the command's stdout).
    """

    actor: Callable[[], Any]
    write: Callable[[str], None]


Function = Callable[[Context], None]


@dataclass(frozen=True)
class Step:
    name: str
    function: Function
    order: int


_steps: dict[str, Step] = {}


def register(name: str, function: Function, order: int) -> Function:
    """Add (or, under the same name, replace) a step: registering twice is harmless, as
    ``AppConfig.ready`` may run more than once in tests."""
    _steps[name] = Step(name=name, function=function, order=order)
    return function


def unregister(name: str) -> None:
    """Remove a step (tests that register one of their own take it out again)."""
    _steps.pop(name, None)


def steps() -> list[Step]:
    """The registered steps in the order they run (by order, then name)."""
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def run(context: Context) -> list[str]:
    """Run every registered step in order; returns the names run."""
    done = []
    for step in steps():
        step.function(context)
        done.append(step.name)
    return done
