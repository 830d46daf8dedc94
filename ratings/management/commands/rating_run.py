"""Rate in this process, without a worker: ``manage.py rating_run`` (a full run) or
``--changed``; ``--if-never`` does nothing once any run has finished (the run command uses it
so the demo has grades from the start; the nightly beat does the rest)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from credit_portal.errors import DomainError
from ratings import selectors, services
from ratings.models import RatingRun


class Command(BaseCommand):
    help = "信用评价（在本进程中）/ Rate entities in this process."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--changed", action="store_true", help="only entities that changed")
        parser.add_argument("--if-never", action="store_true", help="only if never rated")

    def handle(self, *args, changed: bool, if_never: bool, **options) -> None:
        if if_never and selectors.latest_finished_run() is not None:
            self.stdout.write("已有评价结果 / ratings exist already")
            return
        kind = RatingRun.Kind.CHANGED if changed else RatingRun.Kind.FULL
        try:
            run, chunk_ids = services.run_start(kind=kind)
        except DomainError as exc:
            self.stderr.write(str(exc.message))
            return
        rated = sum(services.chunk_rate(chunk_id) for chunk_id in chunk_ids)
        run.refresh_from_db()
        self.stdout.write(
            f"评价批次 {run.pk}：{rated} 个主体，{run.grades_changed} 个等级变化 / run {run.pk}: "
            f"{rated} rated, {run.grades_changed} grades changed"
        )
