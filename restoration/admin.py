"""Admin of restoration: the settings through their audited service, the kinds never restored
early, and the applications read-only (their workflow is the workbench's)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin

from . import services
from .models import RestorationApplication, RestorationBar, RestorationConfig, RestorationEscalation


@admin.register(RestorationConfig)
class RestorationConfigAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Each change adds a row through the audited service; the newest is in force."""

    fields = tuple(services.CONFIG_LIMITS)
    list_display = ("pk", *services.CONFIG_LIMITS, "created_at")

    def create(self, request, data: dict):
        return services.restoration_config_set(actor=request.user, **data)


@admin.register(RestorationBar)
class RestorationBarAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Configuration: which kinds of record are never restored early, and the rule that says so
    (an application for one is refused with this text). Added through the audited service,
    retired with the action, never edited."""

    fields = ("catalogue_item", "penalty_type", "rule")
    list_display = ("rule", "catalogue_item", "penalty_type", "active")
    list_filter = ("active", "penalty_type")
    actions = ["retire"]

    def create(self, request, data: dict):
        return services.restoration_bar_add(
            actor=request.user,
            rule=data.get("rule", ""),
            catalogue_item=data.get("catalogue_item"),
            penalty_type=data.get("penalty_type", ""),
        )

    @admin.action(description=_("停用所选规定 / retire the selected rules"))
    def retire(self, request, queryset) -> None:
        for bar in queryset:
            services.restoration_bar_retire(actor=request.user, bar_id=bar.pk)


@admin.register(RestorationApplication)
class RestorationApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "entity", "department", "status", "submitted_at", "effective_at")
    list_filter = ("status",)
    search_fields = ("number", "entity__uscc")


@admin.register(RestorationEscalation)
class RestorationEscalationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("clock", "application", "due", "created_at")
    list_filter = ("clock",)
