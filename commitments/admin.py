"""Commitments in the admin: licensing items are added through their service; the rest is
shown only (made and kept through the workbench, the public site and the API)."""

from __future__ import annotations

from django.contrib import admin

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin

from . import services
from .models import (
    Commitment,
    CommitmentConfig,
    CommitmentTemplate,
    EducationSession,
    LicensingItem,
    MissingMaterial,
    VoluntaryDisclosure,
)


@admin.register(LicensingItem)
class LicensingItemAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Added through the audited service; existing items are shown only."""

    fields = (
        "code",
        "name",
        "name_en",
        "department",
        "commitment_applies",
        "missing_materials_allowed",
    )
    list_display = (
        "code",
        "name",
        "department",
        "commitment_applies",
        "missing_materials_allowed",
        "active",
    )
    list_filter = ("commitment_applies", "missing_materials_allowed", "active")
    search_fields = ("code", "name")

    def create(self, request, data: dict):
        return services.licensing_item_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en", ""),
            department=data["department"],
            commitment_applies=data.get("commitment_applies", False),
            missing_materials_allowed=data.get("missing_materials_allowed", False),
        )


@admin.register(CommitmentTemplate)
class CommitmentTemplateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "item", "version", "published_at")
    list_filter = ("kind",)


class MissingMaterialInline(ReadOnlyMixin, admin.TabularInline):
    model = MissingMaterial
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "kind", "entity_id", "department", "status", "made_at")
    list_filter = ("kind", "status")
    search_fields = ("number", "entity__uscc", "entity__name")
    list_select_related = ("department",)
    inlines = [MissingMaterialInline]
    show_full_result_count = False


@admin.register(EducationSession)
class EducationSessionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "department", "mode", "starts_at")
    list_filter = ("mode",)


@admin.register(VoluntaryDisclosure)
class VoluntaryDisclosureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "entity_id", "department", "status", "submitted_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "entity__uscc", "entity__name")
    show_full_result_count = False


@admin.register(CommitmentConfig)
class CommitmentConfigAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Each change adds a row through the audited service; the newest is in force, the older
    ones are the history."""

    fields = ("min_grade_missing_materials", "max_material_days")
    list_display = ("pk", "min_grade_missing_materials", "max_material_days")

    def create(self, request, data: dict):
        return services.commitment_config_set(
            actor=request.user,
            min_grade_missing_materials=data.get("min_grade_missing_materials", ""),
            max_material_days=data.get("max_material_days"),
        )
