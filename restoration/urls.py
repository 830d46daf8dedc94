"""Public pages of credit restoration, mounted at /restoration/ (namespace "restoration")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("applied/", views.applied, name="applied"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:number>/", views.application, name="application"),
]
