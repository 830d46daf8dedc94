from functools import partial

from django.conf import settings

from credit_portal import navigation


def site(request) -> dict:
    """Footer facts of a government website (sponsor, site code, filing numbers)."""
    return {"SITE_INFO": settings.SITE_INFO}


def workbench_nav(request) -> dict:
    """The workbench navigation that apps registered (credit_portal.navigation), for
    ``templates/workbench/_nav.html``. A callable, so that the template resolves it only on
    pages that show the navigation: the public site never reverses these URLs."""
    return {"workbench_nav": partial(navigation.items_for, request)}
