"""Workbench pages of restoration, mounted at /workbench/restoration/ (namespace
"restoration-workbench")."""

from django.urls import path

from . import workbench

urlpatterns = [
    path("", workbench.applications, name="applications"),
    path("<int:application_id>/", workbench.application, name="application"),
    path("<int:application_id>/accept/", workbench.accept, name="accept"),
    path("<int:application_id>/refuse/", workbench.refuse, name="refuse"),
    path("<int:application_id>/propose/", workbench.propose, name="propose"),
    path("<int:application_id>/approve/", workbench.approve, name="approve"),
    path("<int:application_id>/return/", workbench.send_back, name="return"),
    path("escalations/", workbench.escalations, name="escalations"),
    path("evidence/<int:evidence_id>/", workbench.evidence, name="evidence"),
]
