from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("主体与信用记录 / Registry")

    def ready(self) -> None:
        from . import checks  # noqa: F401
