from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("信用承诺 / Commitments")

    def ready(self) -> None:
        from registry import workbench_home

        from .home import home_cards

        workbench_home.register(home_cards)
