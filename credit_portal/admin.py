"""Admin mixins shared by every app's admin (layer 1, a plain module: it imports no app).

Rows that a service or an append-only ledger owns are shown, never edited here; rows with rules
are created through their service so the audit trail and guardian ownership stay right.
"""

from __future__ import annotations

from credit_portal.errors import DomainError


class ReadOnlyMixin:
    """Shown, never changed or deleted here (a service or the append-only ledger owns it)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceCreateMixin:
    """Admin "add" calls a service; existing rows are read-only and never deleted.

    The service runs at the end of form validation, inside the admin's transaction: a
    DomainError becomes a form error (nothing written), success hands the created row to
    ``save_model`` so the admin logs and redirects to it.
    """

    def create(self, request, data: dict):  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class
        model_admin = self

        class ServiceForm(form_class):
            def validate_unique(self) -> None:
                pass  # the service checks (and may legitimately move, e.g. a membership)

            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                try:
                    self.created = model_admin.create(request, self.cleaned_data)
                except DomainError as exc:
                    field = exc.field if exc.field in self.fields else None
                    self.add_error(field, str(exc.message))

        return ServiceForm

    def save_model(self, request, obj, form, change) -> None:
        created = form.created
        # The admin goes on to log and redirect with ``obj``: make it the created row.
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = created._state.db
