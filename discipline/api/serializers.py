"""Serializers of the discipline API: input serializers check shape only (the services check
the rules: authority, basis documents, statement period, state tables); output serializers
render what a selector returned. Persons appear by name with a masked ID number only."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.fields import UsccField
from registry.models import EntityRole

from ..models import (
    AccessBan,
    AccessBanPerson,
    AuthorityNotice,
    BanField,
    BasisKind,
    Interview,
    LiabilityWarning,
    Listing,
    ListingBasis,
    ListRule,
    Measure,
    MeasureTask,
    MeasureTaskItem,
    Rectification,
)

_ID = {"min_value": 1, "max_value": 2**63 - 1}  # bigint ids: larger is bad input, not a 500


# --- the published rules ----------------------------------------------------------------------
class ListRuleSerializer(serializers.ModelSerializer):
    recognising_departments = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="codes of the departments"
    )

    class Meta:
        model = ListRule
        fields = [
            "id",
            "code",
            "version",
            "kind",
            "name",
            "name_en",
            "bases",
            "standards",
            "procedure",
            "objection_route",
            "exit_conditions",
            "period_months",
            "statement_days",
            "restoration_after_months",
            "legal_basis",
            "recognising_departments",
            "published_at",
            "retired_at",
        ]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "version",
            "name",
            "name_en",
            "category",
            "effect",
            "mandatory",
            "legal_basis",
            "department",
            "department_name",
            "list_kinds",
            "ban_field",
            "published_at",
            "retired_at",
        ]
        read_only_fields = fields


# --- listings ---------------------------------------------------------------------------------
class BasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingBasis
        fields = ["kind", "document_number", "title", "issued_on"]
        read_only_fields = fields


class ListingSerializer(serializers.ModelSerializer):
    """What anyone may read of a public listing (render querysets that select_related entity,
    department and rule and prefetch bases)."""

    rule = serializers.CharField(source="rule.code", read_only=True)
    rule_version = serializers.IntegerField(source="rule.version", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    uscc = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    under_objection = serializers.SerializerMethodField(
        help_text="an objection is being checked: its measures are suspended (33/22)"
    )
    bases = BasisSerializer(many=True, read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "kind",
            "rule",
            "rule_version",
            "rule_name",
            "uscc",
            "entity_name",
            "department",
            "department_name",
            "status",
            "under_objection",
            "facts",
            "bases",
            "listed_from",
            "listed_until",
            "exit_reason",
            "exited_at",
        ]
        read_only_fields = fields

    def get_under_objection(self, listing: Listing) -> bool:
        return listing.status == Listing.Status.SUSPENDED


class ListingDetailSerializer(ListingSerializer):
    """The case file as departments and the entity itself see it: the proposal, the
    statement period and the entity's statement, the decision and the exit."""

    class Meta(ListingSerializer.Meta):
        fields = [
            *ListingSerializer.Meta.fields,
            "proposed_at",
            "statement_due",
            "statement",
            "statement_at",
            "decided_at",
            "decision_note",
            "suspended_at",
            "exit_note",
        ]
        read_only_fields = fields


class BasisInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=BasisKind.choices, help_text="must be one the rule accepts"
    )
    document_number = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=300)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


class ListingProposeInputSerializer(serializers.Serializer):
    uscc = UsccField()
    rule = serializers.CharField(max_length=40, help_text="code of a published list rule")
    facts = serializers.CharField(max_length=10000)
    bases = BasisInputSerializer(many=True, help_text="at least one basis document")


class StatementInputSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=5000)


class DecideInputSerializer(serializers.Serializer):
    list_entity = serializers.BooleanField(help_text="true: list; false: decide not to list")
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="required to reject",
    )


class SuspendInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ResumeInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="why the objection was not upheld")


class ExitInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Listing.ExitReason.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- measure tasks ----------------------------------------------------------------------------
class TaskItemSerializer(serializers.ModelSerializer):
    measure_code = serializers.CharField(source="measure.code", read_only=True)
    measure_version = serializers.IntegerField(source="measure.version", read_only=True)
    measure_name = serializers.CharField(source="measure.name", read_only=True)
    mandatory = serializers.BooleanField(source="measure.mandatory", read_only=True)

    class Meta:
        model = MeasureTaskItem
        fields = [
            "measure",
            "measure_code",
            "measure_version",
            "measure_name",
            "mandatory",
            "outcome",
            "reason",
            "recorded_at",
        ]
        read_only_fields = fields


class MeasureTaskSerializer(serializers.ModelSerializer):
    """Render ``selectors.tasks_visible`` rows (listing, entity, departments and items)."""

    uscc = serializers.CharField(source="listing.entity_id", read_only=True)
    entity_name = serializers.CharField(source="listing.entity.name", read_only=True)
    list_kind = serializers.CharField(source="listing.kind", read_only=True)
    initiating_department = serializers.CharField(source="listing.department.code", read_only=True)
    department = serializers.CharField(
        source="department.code", read_only=True, help_text="the implementing department"
    )
    overdue = serializers.SerializerMethodField(help_text="open past its feedback date")
    items = TaskItemSerializer(many=True, read_only=True)

    class Meta:
        model = MeasureTask
        fields = [
            "id",
            "listing",
            "uscc",
            "entity_name",
            "list_kind",
            "initiating_department",
            "department",
            "status",
            "created_at",
            "feedback_due",
            "overdue",
            "fed_back_at",
            "lifted_at",
            "items",
        ]
        read_only_fields = fields

    def get_overdue(self, task: MeasureTask) -> bool:
        return task.status == MeasureTask.Status.OPEN and task.feedback_due < timezone.localdate()


class OutcomeInputSerializer(serializers.Serializer):
    measure = serializers.IntegerField(**_ID, help_text="id of one of the task's measures")
    outcome = serializers.ChoiceField(
        choices=MeasureTaskItem.Outcome.choices, help_text="applied or not_applied"
    )
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="required when a recommended measure was not applied",
    )


class FeedbackInputSerializer(serializers.Serializer):
    outcomes = OutcomeInputSerializer(many=True, help_text="one per measure of the task")

    def validate_outcomes(self, value: list[dict]) -> list[dict]:
        measures = [row["measure"] for row in value]
        if len(measures) != len(set(measures)):
            raise serializers.ValidationError(
                _("每项措施只能反馈一次。/ Give each measure once."), code="duplicate_measure"
            )
        return value


class StatisticsParamsSerializer(serializers.Serializer):
    initiated = serializers.BooleanField(
        required=False,
        default=False,
        help_text="departments: only the tasks set by the caller's department's listings",
    )


class TaskStatisticsSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="implementing department (name)")
    total = serializers.IntegerField()
    fed_back = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="open past the feedback date")
    late = serializers.IntegerField(help_text="fed back after the feedback date")
    coverage = serializers.FloatField(help_text="fed_back / total")


# --- rectification and interviews -------------------------------------------------------------
class InterviewSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="rectification.entity_id", read_only=True)
    entity_name = serializers.CharField(source="rectification.entity.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    record = serializers.IntegerField(
        source="record_id", read_only=True, allow_null=True, help_text="its credit record"
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "rectification",
            "uscc",
            "entity_name",
            "kind",
            "department",
            "status",
            "due_by",
            "held_on",
            "attendees",
            "summary",
            "record",
            "created_at",
        ]
        read_only_fields = fields


class RectificationInterviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interview
        fields = ["id", "kind", "status", "due_by", "held_on"]
        read_only_fields = fields


class RectificationSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    interviews = RectificationInterviewSerializer(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "uscc",
            "entity_name",
            "department",
            "listing",
            "requirement",
            "deadline",
            "status",
            "ordered_at",
            "rectified_at",
            "note",
            "interviews",
        ]
        read_only_fields = fields


class RectificationOrderInputSerializer(serializers.Serializer):
    uscc = UsccField()
    requirement = serializers.CharField(max_length=5000)
    deadline = serializers.DateField(help_text="after today")
    listing = serializers.IntegerField(
        **_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="a listing of the same entity that your department recognised",
    )


class RectificationCompleteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class InterviewHoldInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text="not after today")
    summary = serializers.CharField(max_length=10000)
    attendees = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    new_deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="reminder interviews: the new rectification deadline (after today)",
    )


# --- access bans and personal liability -------------------------------------------------------
class BoundPersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)

    class Meta:
        model = AccessBanPerson
        fields = ["role", "name", "id_number_masked"]
        read_only_fields = fields


class AccessBanSerializer(serializers.ModelSerializer):
    """Render ``selectors.bans_for`` rows (entity, department, bound persons)."""

    uscc = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    lifelong = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    under_objection = serializers.SerializerMethodField()
    persons = BoundPersonSerializer(source="bound", many=True, read_only=True)

    class Meta:
        model = AccessBan
        fields = [
            "id",
            "uscc",
            "entity_name",
            "field",
            "department",
            "department_name",
            "listing",
            "starts",
            "ends",
            "lifelong",
            "in_force",
            "under_objection",
            "reason",
            "legal_basis",
            "persons",
            "created_at",
            "lifted_at",
            "lift_reason",
        ]
        read_only_fields = fields

    def get_lifelong(self, ban: AccessBan) -> bool:
        return ban.ends is None

    def get_under_objection(self, ban: AccessBan) -> bool:
        """33/22: suspended while an objection against it, or its listing, is checked."""
        return ban.suspended_at is not None or (
            ban.listing_id is not None and ban.listing.status == Listing.Status.SUSPENDED
        )

    def get_in_force(self, ban: AccessBan) -> bool:
        """Binding today: begun, not ended, not lifted and not under objection."""
        today = timezone.localdate()
        return (
            ban.lifted_at is None
            and ban.starts <= today
            and (ban.ends is None or ban.ends >= today)
            and not self.get_under_objection(ban)
        )


class AccessBanInputSerializer(serializers.Serializer):
    uscc = UsccField()
    field = serializers.ChoiceField(choices=BanField.choices)
    starts = serializers.DateField()
    ends = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="null: lifelong"
    )
    reason = serializers.CharField(max_length=5000)
    legal_basis = serializers.CharField(max_length=5000)
    listing = serializers.IntegerField(
        **_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="a listing of the same entity that your department recognised",
    )


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class LiabilityWarningSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)
    role = serializers.ChoiceField(
        source="role.kind", choices=EntityRole.Kind.choices, read_only=True
    )
    uscc = serializers.CharField(
        source="entity_id", read_only=True, help_text="the entity the person serves"
    )
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    ban = serializers.IntegerField(source="ban_id", read_only=True, allow_null=True)
    listing = serializers.SerializerMethodField(help_text="the listing that marked the person")

    class Meta:
        model = LiabilityWarning
        fields = [
            "id",
            "person_name",
            "id_number_masked",
            "role",
            "uscc",
            "entity_name",
            "ban",
            "listing",
            "created_at",
            "resolved_at",
            "note",
        ]
        read_only_fields = fields

    def get_listing(self, warning: LiabilityWarning) -> int | None:
        return warning.mark.listing_id if warning.mark_id else None


class AuthorityNoticeSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="listing.entity_id", read_only=True)
    entity_name = serializers.CharField(source="listing.entity.name", read_only=True)
    list_kind = serializers.CharField(source="listing.kind", read_only=True)
    recognising_department = serializers.CharField(source="listing.department.code", read_only=True)

    class Meta:
        model = AuthorityNotice
        fields = [
            "id",
            "listing",
            "uscc",
            "entity_name",
            "list_kind",
            "recognising_department",
            "recipient",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


# --- "may receive" (33/18) --------------------------------------------------------------------
class MayReceiveInputSerializer(serializers.Serializer):
    measure = serializers.CharField(max_length=40, help_text="code of a published measure")
    uscc = UsccField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="a person's resident ID number instead of a USCC (never echoed back)",
    )
    purpose = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="logged"
    )


class AnswerListingSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code", read_only=True)
    uscc = serializers.CharField(source="entity_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "kind",
            "rule",
            "uscc",
            "department",
            "status",
            "listed_from",
            "listed_until",
        ]
        read_only_fields = fields


class AnswerBanSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = AccessBan
        fields = ["id", "uscc", "field", "department", "starts", "ends"]
        read_only_fields = fields


class AnswerMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "code", "version", "name", "effect", "list_kinds", "ban_field"]
        read_only_fields = fields


class AnswerMarkSerializer(serializers.Serializer):
    listing = serializers.IntegerField(source="listing_id")
    role = serializers.ChoiceField(choices=EntityRole.Kind.choices)


class MayReceiveSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    measure = AnswerMeasureSerializer()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="bilingual")
    listings = AnswerListingSerializer(many=True, help_text="in force and behind the answer")
    suspended = AnswerListingSerializer(
        many=True, help_text="under objection: their measures are suspended and do not refuse"
    )
    bans = AnswerBanSerializer(many=True)
    bans_suspended = AnswerBanSerializer(
        many=True, help_text="under objection: suspended and do not refuse"
    )
    marks = AnswerMarkSerializer(many=True, help_text="persons: dishonesty marked on them")
    red_listing = serializers.SerializerMethodField()
    clean_record = serializers.BooleanField(help_text="incentives: no negative record for years")

    @extend_schema_field(AnswerListingSerializer(allow_null=True))
    def get_red_listing(self, answer) -> dict | None:
        listing = answer.red_listing
        return AnswerListingSerializer(listing).data if listing is not None else None
