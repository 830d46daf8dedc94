from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("信用评价 / Ratings")

    def ready(self) -> None:
        from credit_portal import demo_steps

        from . import demo

        demo_steps.register("ratings", demo.demo_first_rating, order=demo.ORDER)
