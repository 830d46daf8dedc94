"""Rating pages: the workbench's (namespace "ratings-workbench", under /workbench/ratings/)
and the public site's (namespace "ratings", under /ratings/)."""

from django.urls import path

from . import views

workbench_urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("entity/<str:uscc>/", views.entity, name="entity"),
]

urlpatterns = [path("mine/", views.mine, name="mine")]
