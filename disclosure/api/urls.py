"""Public statistics API, mounted at /api/v1/statistics/ under the namespace "public-api"."""

from django.urls import path

from . import views

urlpatterns = [
    path("timeliness/", views.TimelinessView.as_view(), name="timeliness"),
]
