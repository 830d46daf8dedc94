"""The official calendar: exceptions to the Monday-Friday rule, year by year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose State Council holiday notice is loaded; days of other years are provisional."""

    class Source(models.TextChoices):
        LIBRARY = "library", _("chinesecalendar 库 / chinesecalendar library")
        ADMIN = "admin", _("管理员录入 / entered by an administrator")

    year = models.PositiveSmallIntegerField(_("年份 / year"), primary_key=True)
    published = models.BooleanField(
        _("已公布 / notice published"),
        default=True,
        help_text=_("国务院办公厅放假安排通知已全部录入 / the holiday notice is fully entered"),
    )
    notice = models.CharField(_("通知文号 / notice"), max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ADMIN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("日历年度 / calendar year")
        verbose_name_plural = _("日历年度 / calendar years")

    def __str__(self) -> str:
        return str(self.year)


class OfficialDay(models.Model):
    """A day that differs from the weekend rule: a holiday or a make-up working day (调休)."""

    date = models.DateField(_("日期 / date"), primary_key=True)
    is_working_day = models.BooleanField(_("工作日 / working day"))
    name = models.CharField(_("名称 / name"), max_length=100, blank=True)
    source = models.CharField(
        max_length=10, choices=CalendarYear.Source.choices, default=CalendarYear.Source.ADMIN
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休 / holiday or make-up day")
        verbose_name_plural = _("节假日与调休 / holidays and make-up days")

    def __str__(self) -> str:
        kind = "班" if self.is_working_day else "休"
        return f"{self.date} {kind} {self.name}"


class CalendarGap(models.Model):
    """A warning for administrators: a working-day result needed a year with no notice."""

    year = models.PositiveSmallIntegerField(_("年份 / year"), primary_key=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    occurrences = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = _("日历缺失警告 / missing calendar warning")
        verbose_name_plural = _("日历缺失警告 / missing calendar warnings")

    def __str__(self) -> str:
        return f"{self.year}"
