"""Ratings in the admin: evaluation models and runs are shown only (models change through a
new version, ``services.model_revise``; runs are the job's); settings and tiers change
through their services. Subscribers to finished runs are the outbox's (credit_portal.outbox)."""

from __future__ import annotations

from django.contrib import admin

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin

from . import services
from .models import (
    EvaluationModel,
    Indicator,
    RatingConfig,
    RatingRun,
    SpotCheck,
    SpotCheckPlan,
    SupervisionTier,
)


class IndicatorInline(ReadOnlyMixin, admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(EvaluationModel)
class EvaluationModelAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "version", "name", "industry", "published_at")
    list_filter = ("code",)
    inlines = [IndicatorInline]


@admin.register(RatingRun)
class RatingRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "kind", "status", "chunks_done", "chunks_total", "rated", "created_at")
    list_filter = ("kind", "status")


@admin.register(RatingConfig)
class RatingConfigAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Each change adds a row through the audited service; the newest is in force."""

    fields = ("public_grades", "chunk_size")
    list_display = ("pk", "public_grades", "chunk_size")

    def create(self, request, data: dict):
        return services.rating_config_set(
            actor=request.user,
            public_grades=data.get("public_grades", False),
            chunk_size=data.get("chunk_size"),
        )


@admin.register(SupervisionTier)
class SupervisionTierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Shown here; ratios change through ``services.tier_set`` (the order A ≤ B ≤ C ≤ D)."""

    list_display = ("grade", "name", "ratio")


@admin.register(SpotCheckPlan)
class SpotCheckPlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "department", "status", "period_start", "period_end", "drawn_at")
    list_filter = ("status",)
    exclude = ("draw_inputs",)


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("plan", "entity_id", "tier", "result", "recorded_at")
    list_filter = ("tier", "result")
