"""Public site forms: parsing only; the selectors apply every rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("企业名称或统一社会信用代码"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("例如：北京华信科技 或 18位代码")}
        ),
    )
