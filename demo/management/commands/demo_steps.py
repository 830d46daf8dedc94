"""Run the demo steps the apps registered: ``manage.py demo_steps``.

Runs after ``seed_demo`` and ``demo_users`` (the run command calls all three, in that order).
Each step is an app's own (``credit_portal.demo_steps``; the commitments', discipline's and the
first rating today) and does its work once: a later run prints that the data exists already and
changes nothing.
"""

from __future__ import annotations

from functools import cache

from django.core.management.base import BaseCommand

from credit_portal import demo_steps
from demo.sign_ins import seed_actor


class Command(BaseCommand):
    help = "运行各应用登记的演示步骤（各仅一次）/ Run the apps' registered demo steps (each once)."

    def handle(self, *args, **options) -> None:
        # cache: one seeding sign-in for all steps, made only if a step has work to do.
        context = demo_steps.Context(actor=cache(seed_actor), write=self.stdout.write)
        demo_steps.run(context)
