"""Django admin for the credit centre (platform operator).

Writes with rules go through the services, so the audit trail and guardian ownership stay
right: departments, memberships and entity accounts are created by their services; entities,
persons and roles are registered in the workbench by a registration authority; the credit record
is append-only, so the admin only shows it. The catalogue is the administrators' to edit.
ID numbers are shown masked only: the encrypted column and its lookup hash never appear.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from credit_portal.admin import ReadOnlyMixin, ServiceCreateMixin
from credit_portal.errors import DomainError

from . import personal, services
from .models import (
    ApiClient,
    CatalogueItem,
    CreditRecord,
    Decision,
    Department,
    DepartmentAlert,
    DepartmentMembership,
    EntityAccount,
    EntityRole,
    EntityStanding,
    MarketEntity,
    Person,
    PublicityConfig,
    PublicityRule,
    PublicityWindow,
)
from .roles import Role, viewer_for


# --- departments and people -------------------------------------------------------------
@admin.register(Department)
class DepartmentAdmin(ServiceCreateMixin, admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "region", "registers_entities", "parent", "active")
    list_filter = ("registers_entities", "active")
    search_fields = ("code", "name", "name_en")
    fields = ("code", "name", "name_en", "region", "parent", "registers_entities")
    readonly_fields = ("group",)

    def create(self, request, data: dict):
        return services.department_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en", ""),
            region=data.get("region", ""),
            registers_entities=data.get("registers_entities", False),
            parent=data.get("parent"),
        )

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else (*self.fields, "group", "active")


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(ServiceCreateMixin, admin.ModelAdmin):
    list_display = ("user", "department", "role")
    list_filter = ("role", "department")
    search_fields = ("user__username", "department__code", "department__name")
    autocomplete_fields = ("user", "department")

    def create(self, request, data: dict):
        services.membership_set(
            actor=request.user, user=data["user"], department=data["department"], role=data["role"]
        )
        return DepartmentMembership.objects.get(user=data["user"])


@admin.register(EntityAccount)
class EntityAccountAdmin(ServiceCreateMixin, admin.ModelAdmin):
    list_display = ("user", "entity", "verified_at")
    search_fields = ("user__username", "entity__uscc", "entity__name")
    fields = ("user", "entity")
    autocomplete_fields = ("user", "entity")

    def create(self, request, data: dict):
        return services.entity_account_grant(
            actor=request.user, user=data["user"], uscc=data["entity"].uscc
        )


class ApiClientAddForm(forms.ModelForm):
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(active=True), label=_("部门 / department")
    )

    class Meta:
        model = ApiClient
        fields = ("name",)


@admin.register(ApiClient)
class ApiClientAdmin(ServiceCreateMixin, admin.ModelAdmin):
    list_display = ("name", "token_prefix", "user", "active", "created_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "token_prefix")
    readonly_fields = ("token_prefix", "user", "active", "created_at", "last_used_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "department")
        return ("name", *self.readonly_fields)

    def create(self, request, data: dict):
        client, token = services.api_client_create(
            actor=request.user, name=data["name"], department=data["department"]
        )
        # Shown this once; only its hash is stored.
        messages.warning(
            request,
            _("接口令牌（只显示这一次）/ API token (shown once): %(token)s") % {"token": token},
        )
        return client


# --- the register -----------------------------------------------------------------------------
class EntityRoleInline(ReadOnlyMixin, admin.TabularInline):
    model = EntityRole
    fields = ("kind", "person", "masked_id", "since", "until")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("证件号码（脱敏）/ ID number (masked)"))
    def masked_id(self, role: EntityRole) -> str:
        return role.person.id_number_masked


@admin.register(MarketEntity)
class MarketEntityAdmin(GuardedModelAdmin):
    """Registration facts change through services.entity_update (audited), not here.

    Superusers may still manage object permissions (ownership by department) on guardian's page.
    """

    list_display = (
        "uscc",
        "name",
        "kind",
        "region",
        "status",
        "established",
        "registration_authority",
    )
    list_filter = ("kind", "status")
    search_fields = ("uscc", "name", "search_names")
    list_select_related = ("registration_authority",)
    exclude = ("search_names",)
    inlines = [EntityRoleInline]
    show_full_result_count = False  # the register is large

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in MarketEntity._meta.fields if f.name != "search_names"] + [
            "created_at",
            "updated_at",
        ]

    def has_add_permission(self, request) -> bool:
        return False  # registration authorities register in the workbench

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Without an object: guardian's object-permission page asks this; superusers only.
        # With an object: the form stays read-only.
        return obj is None and request.user.is_superuser


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyMixin, GuardedModelAdmin):
    """Append-only (a database trigger refuses UPDATE and DELETE): the admin only shows it.

    Records are created, corrected and revoked in the workbench through the services.
    """

    list_display = (
        "id",
        "entity_id",
        "title",
        "catalogue_item",
        "source_department",
        "action",
        "scope",
        "severity",
        "created_at",
    )
    list_filter = ("action", "scope", "severity", "catalogue_item__kind")
    search_fields = ("entity__uscc", "title", "document_number")
    list_select_related = ("catalogue_item", "source_department")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in CreditRecord._meta.fields]


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Never shows the encrypted number or its hash; find a person by full ID number through
    the keyed hash."""

    list_display = ("name", "id_kind", "id_number_masked", "created_at")
    list_filter = ("id_kind",)
    fields = ("name", "id_kind", "id_number_masked", "created_at")
    readonly_fields = fields
    search_fields = ("name",)
    search_help_text = _("姓名，或完整证件号码 / name, or the full ID number")

    def get_search_results(self, request, queryset, search_term):
        term = personal.normalise(search_term)
        if len(term) >= 8 and term[:-1].isdigit():
            return queryset.filter(id_number_hash=personal.lookup_hash(term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(EntityRole)
class EntityRoleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("entity", "kind", "person_name", "masked_id", "since", "until")
    list_filter = ("kind",)
    search_fields = ("entity__uscc", "entity__name", "person__name")
    list_select_related = ("entity", "person")
    fields = ("entity", "kind", "person_name", "masked_id", "since", "until")
    readonly_fields = fields

    @admin.display(description=_("姓名 / name"))
    def person_name(self, role: EntityRole) -> str:
        return role.person.name

    @admin.display(description=_("证件号码（脱敏）/ ID number (masked)"))
    def masked_id(self, role: EntityRole) -> str:
        return role.person.id_number_masked


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    """The catalogue is configuration (2022/21); an item in use is deactivated, not deleted."""

    list_display = ("code", "name", "name_en", "kind", "polarity", "publicity_scope", "active")
    list_filter = ("kind", "polarity", "publicity_scope", "active")
    search_fields = ("code", "name", "name_en")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- decisions and publicity (35/15) -----------------------------------------------------------
@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Shown only: decisions are recorded, published and withdrawn by their department through
    the services (workbench, API, bulk import)."""

    list_display = (
        "id",
        "document_number",
        "kind",
        "department",
        "entity_id",
        "decision_date",
        "publicity_due",
        "publicity_due_provisional",
        "status",
        "published_at",
    )
    list_filter = (
        "status",
        "kind",
        "severity",
        "publicity_due_provisional",
        "change",
        "department",
    )
    search_fields = ("document_number", "title", "entity__uscc", "entity__name")
    list_select_related = ("department",)
    date_hierarchy = "decision_date"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Decision._meta.fields]


@admin.register(PublicityWindow)
class PublicityWindowAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Opened by publication, stopped by the nightly job, withdrawal or restoration."""

    list_display = (
        "record",
        "shown_from",
        "shown_until",
        "restoration_from",
        "restoration_open",
        "stopped_at",
        "stop_reason",
    )
    list_filter = ("stop_reason", "restoration_open")
    search_fields = ("record__entity__uscc", "record__document_number")
    list_select_related = ("record",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PublicityWindow._meta.fields]


@admin.register(DepartmentAlert)
class DepartmentAlertAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Raised by the hourly deadline job, resolved by publication or withdrawal."""

    list_display = ("id", "department", "kind", "decision", "created_at", "resolved_at")
    list_filter = ("kind", "department", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("department", "decision")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in DepartmentAlert._meta.fields]


class PlatformConfigMixin:
    """Configuration the credit centre edits: rows exist from the migration, are changed through
    an audited service (``update_row``), and are never added or deleted here."""

    check_fields: tuple[str, ...] = ()

    def check_values(self, data: dict) -> None:  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def update_row(self, request, obj, fields: dict) -> None:  # pragma: no cover
        raise NotImplementedError

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return (
            super().has_change_permission(request, obj)
            and viewer_for(request.user).role == Role.PLATFORM_ADMIN
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class CheckedForm(form_class):
            def clean(self):
                data = super().clean()
                if not self.errors:
                    # The service checks again; here the same check becomes a form error.
                    try:
                        model_admin.check_values({f: data.get(f) for f in model_admin.check_fields})
                    except DomainError as exc:
                        field = exc.field if exc.field in self.fields else None
                        self.add_error(field, str(exc.message))
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change) -> None:
        fields = {f: form.cleaned_data[f] for f in form.changed_data if f in self.check_fields}
        self.update_row(request, obj, fields)


@admin.register(PublicityRule)
class PublicityRuleAdmin(PlatformConfigMixin, admin.ModelAdmin):
    list_display = ("severity", "published", "min_months", "max_months")
    fields = ("severity", "published", "min_months", "max_months")
    readonly_fields = ("severity",)
    check_fields = services.RULE_FIELDS

    def check_values(self, data: dict) -> None:
        services.publicity_rule_check(**data)

    def update_row(self, request, obj, fields: dict) -> None:
        services.publicity_rule_update(actor=request.user, rule=obj, **fields)


@admin.register(PublicityConfig)
class PublicityConfigAdmin(PlatformConfigMixin, admin.ModelAdmin):
    list_display = ("id", "publish_within", "withdraw_within")
    fields = ("publish_within", "withdraw_within")
    check_fields = services.CONFIG_FIELDS

    def check_values(self, data: dict) -> None:
        services.publicity_config_check(**data)

    def update_row(self, request, obj, fields: dict) -> None:
        services.publicity_config_update(actor=request.user, config=obj, **fields)


@admin.register(EntityStanding)
class EntityStandingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Kept current by the discipline and ratings services; shown only."""

    list_display = (
        "entity",
        "punishment_listed",
        "attention_listed",
        "red_listed",
        "grade",
        "updated_at",
    )
    list_filter = ("punishment_listed", "attention_listed", "red_listed", "grade")
    search_fields = ("entity__uscc", "entity__name")
    list_select_related = ("entity",)
    show_full_result_count = False
