from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("主体与信用记录 / Registry")

    def ready(self) -> None:
        from credit_portal import navigation

        from . import checks  # noqa: F401

        # The day-to-day pages lead the workbench navigation, the record and entity pages close
        # it; the apps above slot in between (order bands in credit_portal.navigation).
        navigation.register(
            navigation.NavItem(_("工作台首页"), "workbench:home", 10),
            navigation.NavItem(_("待办"), "workbench:queue", 20),
            navigation.NavItem(_("行政决定"), "workbench:decisions", 30),
            # A fixed path if the import pages are not mounted, as the navigation always had.
            navigation.NavItem(
                _("批量导入"),
                "workbench:decision-import",
                900,
                fallback_url="/workbench/decisions/import/",
            ),
            navigation.NavItem(_("本部门信用记录"), "workbench:records", 910),
            navigation.NavItem(_("录入信用记录"), "workbench:record-create", 920),
            navigation.NavItem(_("登记市场主体"), "workbench:entity-register", 930),
            navigation.NavItem(_("查询市场主体"), "workbench:entity-search", 940),
        )
