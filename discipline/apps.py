from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("联合惩戒 / Discipline")

    def ready(self) -> None:
        from registry import workbench_home

        from .home import home_cards

        workbench_home.register(home_cards)

        from credit_portal import demo_steps

        from . import demo

        demo_steps.register("discipline", demo.demo_discipline, order=demo.ORDER)
