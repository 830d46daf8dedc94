"""Workbench pages of objections and tip-offs, mounted at /workbench/objections/ (namespace
"objections-workbench")."""

from django.urls import path

from . import workbench

urlpatterns = [
    path("", workbench.objections, name="objections"),
    path("<int:objection_id>/", workbench.objection, name="objection"),
    path("<int:objection_id>/filer/", workbench.objection_filer, name="objection-filer"),
    path("<int:objection_id>/propose/", workbench.objection_propose, name="objection-propose"),
    path("<int:objection_id>/approve/", workbench.objection_approve, name="objection-approve"),
    path("<int:objection_id>/return/", workbench.objection_return, name="objection-return"),
    path("<int:objection_id>/forward/", workbench.objection_forward, name="objection-forward"),
    path("tip-offs/", workbench.tipoffs, name="tipoffs"),
    path("tip-offs/<int:tipoff_id>/", workbench.tipoff, name="tipoff"),
    path("tip-offs/<int:tipoff_id>/claim/", workbench.tipoff_claim, name="tipoff-claim"),
    path("tip-offs/<int:tipoff_id>/close/", workbench.tipoff_close, name="tipoff-close"),
    path("tip-offs/<int:tipoff_id>/forward/", workbench.tipoff_forward, name="tipoff-forward"),
    path("escalations/", workbench.escalations, name="escalations"),
    path("evidence/<int:evidence_id>/", workbench.evidence, name="evidence"),
]
