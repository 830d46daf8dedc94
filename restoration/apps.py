from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestorationConfig(AppConfig):
    name = "restoration"
    verbose_name = _("信用修复 / Restoration")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "restoration-clocks": {
            "task": "restoration.tasks.restoration_clock",
            "schedule": crontab(minute=20),
        },
    }

    def ready(self) -> None:
        from credit_portal import demo_steps, navigation

        from . import demo
        from .home import home_cards

        navigation.register_home_cards(home_cards)
        navigation.register(
            navigation.NavItem(_("信用修复"), "restoration-workbench:applications", 440),
            navigation.NavItem(_("修复超期督办"), "restoration-workbench:escalations", 450),
        )
        demo_steps.register("restoration", demo.demo_restoration, order=demo.ORDER)
