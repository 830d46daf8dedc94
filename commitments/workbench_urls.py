"""Workbench commitment pages, mounted at /workbench/commitments/ (namespace
"commitments-workbench")."""

from django.urls import path

from . import workbench

urlpatterns = [
    path("", workbench.queue, name="queue"),
    path("new/", workbench.record, name="record"),
    path("education/", workbench.education, name="education"),
    path("education/<int:session_id>/", workbench.education_session, name="education-session"),
    path("<int:commitment_id>/", workbench.detail, name="detail"),
    path("<int:commitment_id>/fulfilment/", workbench.fulfilment, name="fulfilment"),
    path(
        "<int:commitment_id>/materials/<int:material_id>/supply/",
        workbench.supply,
        name="supply",
    ),
    path("registrations/", workbench.registrations, name="registrations"),
    path("registrations/<int:disclosure_id>/decide/", workbench.decide, name="decide"),
]
