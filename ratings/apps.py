from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("信用评价 / Ratings")

    def ready(self) -> None:
        from credit_portal import navigation

        navigation.register(
            navigation.NavItem(_("信用评价"), "ratings-workbench:overview", 310),
            navigation.NavItem(_("双随机抽查"), "ratings-workbench:plans", 320),
        )
