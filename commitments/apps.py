from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("信用承诺 / Commitments")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "commitment-deadlines": {
            "task": "commitments.tasks.commitment_deadlines_check",
            "schedule": crontab(hour=0, minute=45),
        },
    }

    def ready(self) -> None:
        from credit_portal import demo_steps, navigation

        from . import demo
        from .home import home_cards

        navigation.register_home_cards(home_cards)
        navigation.register(
            navigation.NavItem(_("信用承诺"), "commitments-workbench:queue", 110),
            navigation.NavItem(_("录入信用承诺"), "commitments-workbench:record", 120),
            navigation.NavItem(_("自愿注册核实"), "commitments-workbench:registrations", 130),
            navigation.NavItem(_("诚信教育"), "commitments-workbench:education", 140),
        )

        demo_steps.register("commitments", demo.demo_commitments, order=demo.ORDER)
