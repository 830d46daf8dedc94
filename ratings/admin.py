"""Ratings in the admin: evaluation models and runs are shown only (models change through a
new version, ``services.model_revise``; runs are the job's); settings and tiers change
through their services. Subscribers are added and deactivated through their services (the
signing secret is shown once, then only masked); their deliveries are the relay's and are
shown only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin
from credit_portal.errors import DomainError

from . import services
from .models import (
    Delivery,
    EvaluationModel,
    Indicator,
    RatingConfig,
    RatingRun,
    SpotCheck,
    SpotCheckPlan,
    Subscriber,
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


@admin.register(Subscriber)
class SubscriberAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Add = ``subscriber_create`` (a blank secret is generated and shown this once);
    deactivate with the action. The secret is never shown again, except masked."""

    list_display = ("name", "kind", "url", "masked_secret", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("name", "url")
    actions = ["deactivate"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "kind", "url", "secret")
        return ("name", "kind", "url", "masked_secret", "active", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("masked_secret", "active", "created_at")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # a bare host means https (Django 6's default)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("签名密钥（脱敏）/ signing secret (masked)"))
    def masked_secret(self, subscriber: Subscriber) -> str:
        return f"{subscriber.secret[:4]}…" if subscriber.secret else ""

    def create(self, request, data: dict):
        subscriber = services.subscriber_create(
            actor=request.user,
            name=data.get("name", ""),
            kind=data.get("kind", ""),
            url=data.get("url", ""),
            secret=data.get("secret", ""),
        )
        # Shown this once: the subscriber checks each notice's signature with it.
        messages.warning(
            request,
            _("签名密钥（只显示这一次）/ Signing secret (shown once): %(secret)s")
            % {"secret": subscriber.secret},
        )
        return subscriber

    @admin.action(description=_("停用所选订阅方 / deactivate the selected subscribers"))
    def deactivate(self, request, queryset) -> None:
        done = 0
        for subscriber in queryset.filter(active=True):
            try:
                services.subscriber_deactivate(actor=request.user, subscriber_id=subscriber.pk)
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
                return
            done += 1
        self.message_user(request, _("已停用 %(n)d 个订阅方。/ %(n)d deactivated.") % {"n": done})


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The outbox, shown only: the relay sends, retries and gives up."""

    list_display = (
        "pk", "subscriber", "run", "status", "attempts", "next_attempt_at", "delivered_at",
        "created_at",
    )  # fmt: skip
    list_filter = ("status", "subscriber")
    list_select_related = ("subscriber", "run")
    search_fields = ("subscriber__name",)
    date_hierarchy = "created_at"
