"""Commitments in the admin: shown only for now; they are made and kept through the services
(the workbench and API for them come with the rest of the issue)."""

from __future__ import annotations

from django.contrib import admin

from registry.admin import ReadOnlyMixin

from .models import (
    Commitment,
    CommitmentTemplate,
    EducationSession,
    LicensingItem,
    MissingMaterial,
    VoluntaryDisclosure,
)


@admin.register(LicensingItem)
class LicensingItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
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
