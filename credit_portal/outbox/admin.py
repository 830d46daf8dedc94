"""The outbox in the admin: subscribers are added and deactivated through their services (the
signing secret is shown once, then only masked); events, deliveries and the delivery log are
the publishers' and the relay's, and are shown only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin
from credit_portal.errors import DomainError

from . import services
from .models import Delivery, DeliveryAttempt, Event, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Add = ``subscriber_create`` (a blank secret is generated and shown this once);
    deactivate with the action. The secret is never shown again, except masked."""

    list_display = ("name", "kind", "url", "topic_list", "masked_secret", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("name", "url")
    actions = ["deactivate"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "kind", "url", "topics", "secret")
        return ("name", "kind", "url", "topic_list", "masked_secret", "active", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("topic_list", "masked_secret", "active", "created_at")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # a bare host means https (Django 6's default)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "topics":
            field.help_text = _(
                "以逗号分隔，如 rating_run.finished / comma-separated, e.g. rating_run.finished"
            )
        return field

    @admin.display(description=_("订阅的事件类型 / topics"))
    def topic_list(self, subscriber: Subscriber) -> str:
        return ", ".join(subscriber.topics)

    @admin.display(description=_("签名密钥（脱敏）/ signing secret (masked)"))
    def masked_secret(self, subscriber: Subscriber) -> str:
        return f"{subscriber.secret[:4]}…" if subscriber.secret else ""

    def create(self, request, data: dict):
        subscriber = services.subscriber_create(
            actor=request.user,
            name=data.get("name", ""),
            kind=data.get("kind", ""),
            url=data.get("url", ""),
            topics=data.get("topics") or [],
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


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Published events, shown only."""

    list_display = ("pk", "kind", "subject_uscc", "idempotency_key", "created_at")
    list_filter = ("kind",)
    search_fields = ("subject_uscc", "idempotency_key")
    date_hierarchy = "created_at"


class DeliveryAttemptInline(ReadOnlyMixin, admin.TabularInline):
    """The delivery log of one delivery."""

    model = DeliveryAttempt
    extra = 0
    fields = ("attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The outbox, shown only: the relay sends, retries and gives up; each attempt is logged."""

    list_display = (
        "pk", "subscriber", "event", "status", "attempts", "next_attempt_at", "delivered_at",
        "created_at",
    )  # fmt: skip
    list_filter = ("status", "subscriber", "event__kind")
    list_select_related = ("subscriber", "event")
    search_fields = ("subscriber__name", "event__idempotency_key", "event__subject_uscc")
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The delivery log: every attempt, with its answer or error and how long it took."""

    list_display = ("attempted_at", "delivery", "status_code", "error", "duration_ms")
    list_filter = ("status_code",)
    list_select_related = ("delivery",)
    search_fields = ("delivery__subscriber__name", "error")
    date_hierarchy = "attempted_at"
