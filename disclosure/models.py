"""What the public face stores of its own: snapshots of statistics too broad to compute while a
visitor waits (issue 17: no public query over 1 s at a province's scale)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelinessSnapshot(models.Model):
    """The publication timeliness statistics of one year (``selectors.timeliness``, every
    department), as the hourly job last computed them. The public page reads it and filters it
    to a department: the aggregate over a year's decisions took 1.5 s at 1M entities."""

    year = models.PositiveSmallIntegerField(_("年度 / year"), unique=True)
    as_of = models.DateField(_("统计至 / as of"))
    computed_at = models.DateTimeField(_("计算时间 / computed"), auto_now=True)
    # [level, department code, name, English name, kind, due, on time, late, overdue, median]
    rows = models.JSONField(_("统计行 / rows"), default=list)

    class Meta:
        verbose_name = _("公示及时率快照 / timeliness snapshot")
        verbose_name_plural = _("公示及时率快照 / timeliness snapshots")

    def __str__(self) -> str:
        return f"{self.year} ({self.as_of})"
