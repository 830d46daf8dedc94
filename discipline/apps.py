from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("联合惩戒 / Discipline")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "listings-expire": {
            "task": "discipline.tasks.listings_expire",
            "schedule": crontab(hour=1, minute=0),
        },
        "rectification-deadlines": {
            "task": "discipline.tasks.rectifications_escalate",
            "schedule": crontab(hour=1, minute=15),
        },
        "liability-warnings": {
            "task": "discipline.tasks.liability_warnings_scan",
            "schedule": crontab(minute="*/5"),
        },
    }

    def ready(self) -> None:
        from credit_portal import demo_steps, navigation

        from . import demo
        from .home import home_cards

        navigation.register_home_cards(home_cards)
        navigation.register(
            navigation.NavItem(_("信用名单"), "discipline-workbench:listings", 210),
            navigation.NavItem(_("惩戒措施任务"), "discipline-workbench:tasks", 220),
            navigation.NavItem(_("限期整改与约谈"), "discipline-workbench:rectifications", 230),
            navigation.NavItem(_("禁入与任职预警"), "discipline-workbench:bans", 240),
        )

        demo_steps.register("discipline", demo.demo_discipline, order=demo.ORDER)
