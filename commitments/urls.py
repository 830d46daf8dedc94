"""Public commitment pages, mounted at /commitments/ under the namespace "commitments"."""

from django.urls import path

from . import views

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("new/", views.voluntary_commitment_new, name="voluntary-new"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/new/", views.registration_new, name="registration-new"),
    path("education/", views.education_list, name="education"),
]
