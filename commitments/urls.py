"""Public commitment pages, mounted at /commitments/ under the namespace "commitments"."""

from django.urls import path

from . import views

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("new/", views.voluntary_commitment_new, name="voluntary-new"),
]
