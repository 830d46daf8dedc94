"""One family of domain errors (docs/adding-an-app.md §5): a stable code and a translated message.

Services raise these; the API maps them to 4xx answers with the same code, forms show the message.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused operation. ``status`` is the HTTP status the API answers with."""

    code = "invalid"
    status = 400
    default_message = _("请求无效。/ The request is invalid.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.field = field
        super().__init__(str(self.message))


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("未找到。/ Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("无权执行此操作。/ You may not do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("与当前状态冲突。/ This conflicts with the current state.")
