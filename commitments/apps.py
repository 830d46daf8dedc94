from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("信用承诺 / Commitments")

    def ready(self) -> None:
        from registry import workbench_home

        from .home import home_cards

        workbench_home.register(home_cards)

        from credit_portal import demo_steps

        from . import demo

        demo_steps.register("commitments", demo.demo_commitments, order=demo.ORDER)
