from django.conf import settings


def site(request) -> dict:
    """Footer facts of a government website (sponsor, site code, filing numbers)."""
    return {"SITE_INFO": settings.SITE_INFO}
