"""Who may enter the regulator workbench: the view decorators every app's workbench uses.

Public (not presentation) so that higher apps take them from here, never from
``registry.views``; the 403 pages come from the shared kit (``credit_portal.web``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from credit_portal.web import forbidden

from .roles import Role, Viewer, viewer_for


def may_enter(viewer: Viewer) -> bool:
    return viewer.is_regulator or viewer.role == Role.PLATFORM_ADMIN


def workbench_view(view: Callable) -> Callable:
    """Sign-in required; then only regulators and platform administrators get in (403 says why).

    API clients sign in with tokens, never here.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        viewer = viewer_for(request.user)
        if viewer.role == Role.API_CLIENT:
            return forbidden(request, _("接口客户端不能登录监管工作台。"))
        if not may_enter(viewer):
            if viewer.role == Role.ENTITY_USER:
                reason = _(
                    "监管工作台只对部门工作人员开放。市场主体账号请在公众网站查看本主体的信用信息。"
                )
            else:
                reason = _(
                    "监管工作台只对部门工作人员和平台管理员开放。您的账号不属于任何部门，"
                    "请联系平台管理员。"
                )
            return forbidden(request, reason)
        request.viewer = viewer
        return view(request, *args, **kwargs)

    return wrapper


def no_department(request: HttpRequest) -> HttpResponse:
    """The 403 for a platform administrator on a page of a department's own work."""
    return forbidden(request, _("此功能只对部门工作人员开放；平台管理员不属于任何部门。"))


def department_view(view: Callable) -> Callable:
    """``workbench_view`` for pages of a department's own work: platform administrators,
    who belong to none, are told so (403)."""

    @workbench_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.viewer.is_regulator:
            return no_department(request)
        return view(request, *args, **kwargs)

    return wrapper
