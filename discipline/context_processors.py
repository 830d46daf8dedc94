"""The notice a signed-in entity sees on every page while a listing proposed against it waits
for its statement (35/9: the entity is told before it is listed and may state its case)."""

from __future__ import annotations

from django.http import HttpRequest

from registry.roles import Role, viewer_for

from . import selectors


def entity_notice(request: HttpRequest) -> dict:
    def proposals_open() -> int:
        # Called by the template only when the page shows the notice area; no query for
        # anyone but entity users.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        viewer = viewer_for(user)
        if viewer.role != Role.ENTITY_USER:
            return 0
        return selectors.proposals_awaiting_statement(viewer.entity_uscc)

    return {"entity_proposals_open": proposals_open}
