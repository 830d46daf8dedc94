from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "credit_portal.calendar"
    label = "calendar"
    verbose_name = _("工作日历 / Official calendar")

    def ready(self) -> None:
        from . import checks  # noqa: F401
