from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = _("异议与举报 / Objections")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "objection-clocks": {
            "task": "objections.tasks.objections_clock",
            "schedule": crontab(minute=10),
        },
    }

    def ready(self) -> None:
        from credit_portal import demo_steps, holds, navigation

        from . import demo, selectors
        from .home import home_cards

        holds.register(selectors.held_items)
        navigation.register_home_cards(home_cards)
        navigation.register(
            navigation.NavItem(_("异议核查"), "objections-workbench:objections", 410),
            navigation.NavItem(_("投诉举报"), "objections-workbench:tipoffs", 420),
            navigation.NavItem(_("超期督办"), "objections-workbench:escalations", 430),
        )
        demo_steps.register("objections", demo.demo_objections, order=demo.ORDER)
