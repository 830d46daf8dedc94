"""The demo steps' registry: steps run in their order, whoever registered them and when."""

from __future__ import annotations

import pytest

from credit_portal import demo_steps


@pytest.fixture
def empty(monkeypatch):
    """An empty registry for the test; the apps' own registrations come back afterwards."""
    monkeypatch.setattr(demo_steps, "_steps", {})


def recorder(ran: list[str], name: str) -> demo_steps.Function:
    def step(context: demo_steps.Context) -> None:
        ran.append(name)
        context.write(f"{name} done")

    return step


def test_steps_run_by_order_not_by_registration(empty):
    ran: list[str] = []
    lines: list[str] = []
    demo_steps.register("late", recorder(ran, "late"), order=50)
    demo_steps.register("early", recorder(ran, "early"), order=10)
    demo_steps.register("middle", recorder(ran, "middle"), order=30)
    demo_steps.register("also-middle", recorder(ran, "also-middle"), order=30)  # ties: by name

    done = demo_steps.run(demo_steps.Context(actor=lambda: None, write=lines.append))

    assert ran == done == ["early", "also-middle", "middle", "late"]
    assert lines == [f"{name} done" for name in ran]


def test_registering_a_name_again_replaces_its_step(empty):
    """AppConfig.ready may run more than once (tests): a step is never run twice."""
    ran: list[str] = []
    demo_steps.register("app", recorder(ran, "first"), order=10)
    demo_steps.register("app", recorder(ran, "second"), order=20)

    assert [(step.name, step.order) for step in demo_steps.steps()] == [("app", 20)]
    demo_steps.run(demo_steps.Context(actor=lambda: None, write=lambda _line: None))
    assert ran == ["second"]


def test_unregister(empty):
    demo_steps.register("app", recorder([], "app"), order=10)
    demo_steps.unregister("app")
    demo_steps.unregister("never-registered")  # harmless
    assert demo_steps.steps() == []
