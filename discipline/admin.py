"""Discipline in the admin (the credit centre's catalogues): list rules and the measures list
are added through their services as draft versions and published with an action (a published
version never changes: a revision is a new version); settings change through their service.
Listings, tasks, orders, interviews, bans and warnings are the departments' work and are shown
only (they change in the workbench and the API, through the services)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin
from credit_portal.errors import DomainError

from . import services
from .models import (
    AccessBan,
    AuthorityNotice,
    BasisKind,
    DisciplineConfig,
    Interview,
    LiabilityWarning,
    Listing,
    ListKind,
    ListRule,
    Measure,
    MeasureTask,
    PersonMark,
    Rectification,
)


def _publish(modeladmin, request, queryset, service, key: str) -> None:
    done = 0
    for obj in queryset.order_by("version"):
        try:
            service(actor=request.user, **{key: obj.pk})
        except DomainError as exc:
            modeladmin.message_user(request, str(exc.message), messages.ERROR)
            return
        done += 1
    modeladmin.message_user(request, _("已发布 %(n)d 个版本。") % {"n": done})


class ListRuleForm(forms.ModelForm):
    bases = forms.MultipleChoiceField(
        label=_("认定依据 / recognition bases"),
        choices=BasisKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ListRule
        fields = ("bases",)


@admin.register(ListRule)
class ListRuleAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Add = a new rule or the next draft version of a code (``list_rule_create``)."""

    form = ListRuleForm
    list_display = ("code", "version", "kind", "name", "published_at", "retired_at")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    fields = (
        "code", "kind", "name", "name_en", "bases", "standards", "procedure",
        "objection_route", "exit_conditions", "period_months", "statement_days",
        "restoration_after_months", "legal_basis", "recognising_departments",
    )  # fmt: skip
    filter_horizontal = ("recognising_departments",)
    actions = ["publish"]

    def create(self, request, data: dict):
        fields = {k: data.get(k) for k in services.RULE_FIELDS if k in data}
        return services.list_rule_create(
            actor=request.user, departments=list(data.get("recognising_departments") or []),
            **fields,
        )  # fmt: skip

    def save_related(self, request, form, formsets, change) -> None:
        pass  # the service set the departments

    @admin.action(description=_("发布所选版本 / publish the selected versions"))
    def publish(self, request, queryset) -> None:
        _publish(self, request, queryset, services.list_rule_publish, "rule_id")


class MeasureForm(forms.ModelForm):
    list_kinds = forms.MultipleChoiceField(
        label=_("适用名单 / list kinds"),
        choices=ListKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Measure
        fields = ("list_kinds",)


@admin.register(Measure)
class MeasureAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Add = a new measure or the next draft version of a code (``measure_create``)."""

    form = MeasureForm
    list_display = (
        "code", "version", "name", "category", "effect", "mandatory", "department",
        "published_at", "retired_at",
    )  # fmt: skip
    list_filter = ("category", "effect", "mandatory")
    search_fields = ("code", "name")
    fields = (
        "code", "name", "name_en", "category", "effect", "mandatory", "legal_basis",
        "department", "list_kinds", "ban_field",
    )  # fmt: skip
    actions = ["publish"]

    def create(self, request, data: dict):
        fields = {k: data.get(k) for k in services.MEASURE_FIELDS if k in data}
        return services.measure_create(actor=request.user, department=data["department"], **fields)

    @admin.action(description=_("发布所选版本 / publish the selected versions"))
    def publish(self, request, queryset) -> None:
        _publish(self, request, queryset, services.measure_publish, "measure_id")


@admin.register(DisciplineConfig)
class DisciplineConfigAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Each change adds a row through the audited service; the newest is in force."""

    fields = ("feedback_days", "interview_days", "red_clean_years", "audit_office")
    list_display = ("pk", "feedback_days", "interview_days", "red_clean_years", "created_at")

    def create(self, request, data: dict):
        return services.discipline_config_set(
            actor=request.user,
            feedback_days=data.get("feedback_days"),
            interview_days=data.get("interview_days"),
            red_clean_years=data.get("red_clean_years"),
            audit_office=data.get("audit_office"),
        )


@admin.register(Listing)
class ListingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "pk", "entity_id", "kind", "department", "status", "listed_from", "listed_until",
    )  # fmt: skip
    list_filter = ("kind", "status")
    search_fields = ("entity__uscc", "entity__name")
    exclude = ("statement",)  # the entity's own words: read in the workbench, not here


@admin.register(MeasureTask)
class MeasureTaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "listing", "department", "status", "feedback_due", "fed_back_at")
    list_filter = ("status",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "entity_id", "department", "status", "deadline")
    list_filter = ("status",)


@admin.register(Interview)
class InterviewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "rectification", "kind", "department", "status", "due_by", "held_on")
    list_filter = ("kind", "status")


@admin.register(AccessBan)
class AccessBanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "entity_id", "field", "department", "starts", "ends", "lifted_at")
    list_filter = ("field",)


@admin.register(PersonMark)
class PersonMarkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "listing", "role", "marked_at", "lifted_at")
    exclude = ("person",)  # personal information: not listed in the admin


@admin.register(LiabilityWarning)
class LiabilityWarningAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "entity_id", "department", "created_at", "resolved_at")
    exclude = ("person",)


@admin.register(AuthorityNotice)
class AuthorityNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "listing", "recipient", "department", "created_at")
