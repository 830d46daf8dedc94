"""Admin of objections: the settings through their audited service; cases read-only (their
workflow is the workbench's), and never the sealed filer or reporter."""

from __future__ import annotations

from django.contrib import admin

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin

from . import services
from .models import Escalation, Objection, ObjectionConfig, TipOff


@admin.register(ObjectionConfig)
class ObjectionConfigAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Each change adds a row through the audited service; the newest is in force."""

    fields = tuple(services.CONFIG_LIMITS)
    list_display = ("pk", *services.CONFIG_LIMITS, "created_at")

    def create(self, request, data: dict):
        return services.objection_config_set(actor=request.user, **data)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("tracking_number", "entity", "target_kind", "department", "status", "outcome")
    list_filter = ("status", "outcome", "target_kind")
    search_fields = ("tracking_number", "entity__uscc")
    exclude = ("filer_sealed", "code_hash")


@admin.register(TipOff)
class TipOffAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("tracking_number", "entity", "department", "status", "outcome")
    list_filter = ("status", "outcome")
    search_fields = ("tracking_number", "entity__uscc")
    exclude = ("reporter_sealed", "code_hash")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("clock", "objection", "tipoff", "department", "due", "escalated_at")
    list_filter = ("clock",)
