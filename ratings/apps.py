from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("信用评价 / Ratings")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        # After the other nightly jobs, whose results it rates.
        "rating-run": {
            "task": "ratings.tasks.rating_run_nightly",
            "schedule": crontab(hour=2, minute=0),
        },
        "rating-resume": {
            "task": "ratings.tasks.rating_runs_resume",
            "schedule": crontab(minute="*/10"),
        },
    }

    def ready(self) -> None:
        from credit_portal import demo_steps, navigation

        from . import demo

        navigation.register(
            navigation.NavItem(_("信用评价"), "ratings-workbench:overview", 310),
            navigation.NavItem(_("双随机抽查"), "ratings-workbench:plans", 320),
        )

        demo_steps.register("ratings", demo.demo_first_rating, order=demo.ORDER)
