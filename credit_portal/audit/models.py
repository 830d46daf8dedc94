"""Audit trail (2019 No. 35, art. 17: traceable, tamper-proof records).

Both tables are append-only: a database trigger refuses UPDATE and DELETE. Department and target
are stored as codes and ids, not foreign keys: this library sits below every app (layer 1).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("网页 / web")
    API = "api", _("接口 / API")
    TASK = "task", _("后台任务 / task")
    CLI = "cli", _("命令行 / command line")


class AuditEvent(models.Model):
    """Who did what to which object, with the state before and after, and why."""

    created_at = models.DateTimeField(_("时间 / time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(_("操作人 / actor"), max_length=150, blank=True)
    department_code = models.CharField(_("部门 / department"), max_length=40, blank=True)
    source = models.CharField(_("来源 / source"), max_length=10, choices=Source.choices)
    action = models.CharField(_("动作 / action"), max_length=80, db_index=True)
    target_type = models.CharField(_("对象类型 / target type"), max_length=80)
    target_id = models.CharField(_("对象 / target id"), max_length=64)
    target_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("理由 / reason"), blank=True)
    request_id = models.CharField(_("请求编号 / request id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("审计事件 / audit event")
        verbose_name_plural = _("审计事件 / audit events")
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class AccessLog(models.Model):
    """A read of non-public information: who, which entity, for what purpose
    (docs/architecture.md §4)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(max_length=150, blank=True)
    department_code = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    uscc = models.CharField(_("统一社会信用代码 / USCC"), max_length=18, db_index=True)
    what = models.CharField(_("内容 / what"), max_length=200)
    purpose = models.CharField(_("用途 / purpose"), max_length=200, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("查询日志 / access log")
        verbose_name_plural = _("查询日志 / access logs")
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.uscc}"
