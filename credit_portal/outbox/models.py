"""The portal's outbox (docs/architecture.md §6: webhooks through a transactional outbox): events
written by the publishing app's service in the transaction of the change, subscribers with
the topics they receive, one delivery per (subscriber, event), and the log of every attempt
to send one. See the package docstring for the API."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Something that happened, to be told to the subscribers of its kind (a topic such as
    ``rating_run.finished``). Written once per idempotency key, never changed."""

    kind = models.CharField(_("事件类型 / kind"), max_length=100)
    subject_uscc = models.CharField(
        _("统一社会信用代码 / subject USCC"), max_length=18, blank=True, db_index=True
    )
    payload = models.JSONField(_("内容 / payload"))
    idempotency_key = models.CharField(_("幂等键 / idempotency key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("创建时间 / created"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("事件 / event")
        verbose_name_plural = _("事件 / events")

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class Subscriber(models.Model):
    """A department, bank or association that is told about the events of its topics (a
    signed notice; it then reads what changed through the API with its own token). The secret
    signs each notice; it is shown once, when the subscriber is created."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("政府部门 / department")
        BANK = "bank", _("银行 / bank")
        ASSOCIATION = "association", _("行业协会 / association")
        OTHER = "other", _("其他 / other")

    name = models.CharField(_("名称 / name"), max_length=200)
    kind = models.CharField(_("类别 / kind"), max_length=12, choices=Kind.choices)
    url = models.URLField(_("推送地址 / URL"), max_length=500)
    secret = models.CharField(
        _("签名密钥（空：自动生成）/ signing secret (blank: generated)"),
        max_length=64,
        blank=True,
    )
    topics = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("订阅的事件类型 / topics"),
        default=list,
        blank=True,
    )
    active = models.BooleanField(_("启用 / active"), default=True)
    created_at = models.DateTimeField(_("创建时间 / created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("订阅方 / subscriber")
        verbose_name_plural = _("订阅方 / subscribers")

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event to one subscriber, written with the event and relayed (``SELECT ... FOR
    UPDATE SKIP LOCKED``) until the subscriber answers 2xx, with retries after growing
    pauses, or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待推送 / pending")
        DELIVERED = "delivered", _("已送达 / delivered")
        FAILED = "failed", _("推送失败 / failed")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("订阅方 / subscriber"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("事件 / event"),
    )
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数 / attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间 / next attempt"))
    last_error = models.TextField(_("最近一次错误 / last error"), blank=True)
    delivered_at = models.DateTimeField(_("送达时间 / delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间 / created"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("推送记录 / delivery")
        verbose_name_plural = _("推送记录 / deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event"], name="outbox_delivery_once_per_event"
            )
        ]
        indexes = [
            # The relay's claim: the pending ones that are due, oldest first.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_delivery_pending_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} event {self.event_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per POST, with what came back and how long it took."""

    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.CASCADE,
        related_name="log",
        verbose_name=_("推送记录 / delivery"),
    )
    attempted_at = models.DateTimeField(_("尝试时间 / attempted"))
    status_code = models.PositiveSmallIntegerField(
        _("响应状态码 / status code"), null=True, blank=True
    )
    error = models.TextField(_("错误 / error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）/ duration (ms)"))

    class Meta:
        ordering = ["delivery", "attempted_at", "pk"]
        verbose_name = _("推送尝试 / delivery attempt")
        verbose_name_plural = _("推送日志 / delivery log")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code}"
