"""manage.py demo_steps: the steps the apps register run in their order, each once, and a new
app's step needs nothing outside that app."""

from __future__ import annotations

import io
import sys

import pytest
from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.core.management import call_command

from commitments.models import Commitment
from credit_portal import demo_steps
from discipline.models import Listing
from objections.models import Objection
from ratings.models import Rating, RatingRun
from restoration.models import RestorationApplication

# As the apps registered them at start-up, before any test replaces the registry.
demo_steps_registered = demo_steps.steps()


def demo_steps_output() -> list[str]:
    out = io.StringIO()
    call_command("demo_steps", stdout=out)
    return out.getvalue().splitlines()


def test_the_apps_register_their_steps_in_layer_order():
    """commitments, then discipline (its listings read commitments), then the first rating
    (which reads both); each step's code is in the registering app's own demo module."""
    steps = demo_steps.steps()
    assert [step.name for step in steps] == [
        "commitments",
        "discipline",
        "ratings",
        "objections",
        "restoration",
    ]
    assert [step.function.__module__ for step in steps] == [
        "commitments.demo",
        "discipline.demo",
        "ratings.demo",
        "objections.demo",
        "restoration.demo",
    ]


@pytest.mark.django_db
def test_the_registered_steps_run_once_in_order_after_seed_demo_and_demo_users(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # demo_users keeps its API token there
    call_command("seed_demo", entities=300, seed=3, stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())

    first = demo_steps_output()

    assert len(first) == 5
    assert first[0].startswith("信用承诺演示数据 / demo commitments: ")
    assert first[1].startswith("信用名单演示数据 / demo lists: ")
    assert first[2].startswith("评价批次 ") and "rated" in first[2]
    assert first[3].startswith("异议与举报演示数据 / demo objections and tip-offs: ")
    assert first[4].startswith("信用修复演示数据 / demo restoration: "), first[4]
    assert RestorationApplication.objects.filter(status="approved").exists()
    assert RestorationApplication.objects.filter(status="submitted").exists()
    assert Objection.objects.filter(status="reviewing").exists()
    assert Objection.objects.filter(status="reviewing", effects__kind="listing").exists()
    counts = (Commitment.objects.count(), Listing.objects.count(), Rating.objects.count())
    assert all(counts) and RatingRun.objects.count() == 1

    again = demo_steps_output()  # a later start of the run command: everything reused

    assert again == [
        "信用承诺演示数据已存在 / demo commitments exist already",
        "信用名单演示数据已存在 / demo lists exist already",
        "已有评价结果 / ratings exist already",
        "异议演示数据已存在 / demo objections exist already",
        "信用修复演示数据已存在 / demo restoration applications exist already",
    ]
    assert (Commitment.objects.count(), Listing.objects.count(), Rating.objects.count()) == counts
    assert RatingRun.objects.count() == 1


class _NewAppConfig(AppConfig):
    """What a new app (credit reports, say) would write in its apps.py, and nothing else."""

    name = "tests_new_app"
    path = "/nonexistent"  # not installed: only its ready() is called

    def ready(self) -> None:
        demo_steps.register("new-app", _new_app_step, order=45)


def _new_app_step(context: demo_steps.Context) -> None:
    context.write(f"new app's demo data, made by {context.actor().username}")


@pytest.mark.django_db
def test_a_new_apps_step_runs_from_its_ready_alone(monkeypatch):
    """Registering in AppConfig.ready is all it takes: the command, the launcher and the other
    apps stay as they are, and the step runs between discipline (40) and ratings (50)."""
    monkeypatch.setattr(demo_steps, "_steps", {})  # the apps' own come back afterwards
    for step in list(demo_steps_registered):  # the existing steps, announced instead of run
        demo_steps.register(
            step.name, lambda context, name=step.name: context.write(f"{name} step"), step.order
        )

    _NewAppConfig("tests_new_app", sys.modules[__name__]).ready()
    output = demo_steps_output()

    assert output == [
        "commitments step",
        "discipline step",
        "new app's demo data, made by demo-seed",
        "ratings step",
        "objections step",
        "restoration step",
    ]
    # The seeding sign-in the runner hands the steps: a platform administrator that cannot
    # sign in.
    actor = get_user_model().objects.get(username="demo-seed")
    assert not actor.is_active and not actor.has_usable_password()
    assert actor.groups.filter(name="platform_admin").exists()


@pytest.mark.django_db
def test_steps_with_nothing_to_do_create_no_seeding_sign_in(monkeypatch):
    monkeypatch.setattr(demo_steps, "_steps", {})
    demo_steps.register("idle", lambda context: context.write("nothing to do"), order=10)

    assert demo_steps_output() == ["nothing to do"]
    assert not get_user_model().objects.filter(username="demo-seed").exists()
