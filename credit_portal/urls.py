"""URL map: the public site (disclosure), the regulator workbench, the admin and the API."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

admin.site.site_header = "信用监管平台管理 / credit-portal administration"
admin.site.site_title = "credit-portal"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "workbench/commitments/",
        include(
            ("commitments.workbench_urls", "commitments-workbench"),
            namespace="commitments-workbench",
        ),
    ),
    path(
        "workbench/ratings/",
        include(
            ("ratings.workbench_urls", "ratings-workbench"),
            namespace="ratings-workbench",
        ),
    ),
    path(
        "workbench/discipline/",
        include(
            ("discipline.workbench_urls", "discipline-workbench"),
            namespace="discipline-workbench",
        ),
    ),
    path(
        "workbench/objections/",
        include(
            ("objections.workbench_urls", "objections-workbench"),
            namespace="objections-workbench",
        ),
    ),
    path(
        "workbench/restoration/",
        include(
            ("restoration.workbench_urls", "restoration-workbench"),
            namespace="restoration-workbench",
        ),
    ),
    path("workbench/", include(("registry.urls", "workbench"), namespace="workbench")),
    path(
        "api/v1/statistics/",
        include(("disclosure.api.urls", "public-api"), namespace="public-api"),
    ),
    path(
        "api/v1/",
        include(("commitments.api.urls", "commitments-api"), namespace="commitments-api"),
    ),
    path("api/v1/", include(("ratings.api.urls", "ratings-api"), namespace="ratings-api")),
    path(
        "api/v1/",
        include(("discipline.api.urls", "discipline-api"), namespace="discipline-api"),
    ),
    path(
        "api/v1/",
        include(("objections.api.urls", "objections-api"), namespace="objections-api"),
    ),
    path(
        "api/v1/",
        include(("restoration.api.urls", "restoration-api"), namespace="restoration-api"),
    ),
    path("api/v1/", include(("registry.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("commitments/", include(("commitments.urls", "commitments"), namespace="commitments")),
    path("ratings/", include(("ratings.urls", "ratings"), namespace="ratings")),
    path("lists/", include(("discipline.urls", "discipline"), namespace="discipline")),
    path("objections/", include(("objections.urls", "objections"), namespace="objections")),
    path(
        "restoration/",
        include(("restoration.urls", "restoration"), namespace="restoration"),
    ),
    path("captcha/", include("captcha.urls")),
    path("", include(("disclosure.urls", "public"), namespace="public")),
]


def bench_plain(request: HttpRequest) -> HttpResponse:
    """The reference of ./scripts/bench: a plain Django view through the same middleware and
    server, so each page is measured as a ratio to it in the same run."""
    return HttpResponse("ok", content_type="text/plain")


if settings.BENCH_PLAIN_VIEW:  # off unless the benchmark's server sets it
    urlpatterns.insert(0, path("bench/plain/", bench_plain))
