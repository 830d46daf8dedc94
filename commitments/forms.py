"""Forms of the public commitment pages (the rules are the services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Department


class VoluntaryCommitmentForm(forms.Form):
    """A voluntary public commitment, made by a signed-in entity on the current template. The
    version read is sent back, so a newer version published meanwhile is a clear refusal."""

    template_id = forms.IntegerField(widget=forms.HiddenInput)
    department = forms.ModelChoiceField(
        label=_("受理部门"),
        queryset=Department.objects.filter(active=True).order_by("code"),
        to_field_name="code",
        empty_label=_("请选择"),
    )
    confirm = forms.BooleanField(
        label=_("我已阅读承诺书全文，自愿作出上述承诺，并同意向社会公开。"), required=True
    )
