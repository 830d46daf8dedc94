"""Public site forms: parsing only; the selectors apply every rule."""

from __future__ import annotations

import re
from functools import lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum import numdb

from registry.labels import department_label

from . import selectors


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("企业名称或统一社会信用代码"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("例如：北京华信科技 或 18位代码")}
        ),
    )


# --- regions (GB/T 2260, from python-stdnum's table, as registry.uscc.region) -----------------
_ABOLISHED = re.compile(r"^\[\d*-\d+\]")  # "[1983-1994]..." : no longer in use


def _generic(name: str) -> bool:
    """Placeholders of the table ("市辖区", "省直辖县级行政单位"), not places people look for."""
    return name in {"市辖区", "县"} or "直辖" in name


def _latest(name: str) -> str:
    """'[-1991]东郊区,[1992-]东丽区' -> '[1992-]东丽区'."""
    return name.split(",")[-1]


@lru_cache(maxsize=1)
def _region_table() -> dict[str, tuple[str, list[tuple[str, str, bool]]]]:
    """province code -> (name, [(6-digit code, name, is a city), ...]) for regions in use."""
    table: dict[str, tuple[str, list[tuple[str, str, bool]]]] = {}
    for _length, low, high, props, children in numdb.get("cn/loc").prefixes:
        if low != high or "province" not in props:
            continue
        names: dict[str, str] = {}
        for _clength, clow, chigh, cprops, _rest in children:
            latest = _latest(cprops.get("county", ""))
            if clow != chigh or not latest or _ABOLISHED.match(latest):
                continue
            names[low + clow] = latest.split("]")[-1]
        regions = []
        for code, name in sorted(names.items()):
            if code.endswith("0000") or _generic(name):
                continue  # the province itself, or a placeholder
            if code.endswith("00"):
                regions.append((code, name, True))
            else:
                city = names.get(code[:4] + "00", "")
                prefix = "" if _generic(city) or city == name else city
                regions.append((code, prefix + name, False))
        table[low] = (props["province"], regions)
    return table


def province_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _regions) in _region_table().items()]


def county_choices(province: str) -> list[tuple[str, str]]:
    """A province's cities ("石家庄市（全部）") and counties; a city covers its counties."""
    return [
        (code, str(_("%(city)s（全部）")) % {"city": name} if is_city else name)
        for code, name, is_city in _region_table().get(province, ("", []))[1]
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_ERROR = _("日期格式应为“年-月-日”，例如 2026-01-31。")


class FilterForm(forms.Form):
    """Labels above their inputs; empty fields mean "all"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        departments = list(selectors.departments_public())
        self.departments = {d.code: d for d in departments}
        self.fields["department"].choices = [("", _("全部部门"))] + [
            (d.code, department_label(d)) for d in departments
        ]

    def clean_department(self):
        code = self.cleaned_data.get("department") or ""
        return self.departments.get(code)


class PublicityFilterForm(FilterForm):
    """Filters of the "double publicity" listings: department, region and decision dates."""

    department = forms.ChoiceField(
        label=_("决定部门"),
        required=False,
        error_messages={"invalid_choice": _("没有这个部门，请从列表中选择。")},
    )
    province = forms.ChoiceField(
        label=_("省份"),
        required=False,
        error_messages={"invalid_choice": _("没有这个省份，请从列表中选择。")},
    )
    county = forms.ChoiceField(
        label=_("市、区县"),
        required=False,
        help_text=_("先选择省份并点击“筛选”，再选择市、区县。"),
        error_messages={"invalid_choice": _("请从所选省份的列表中选择市、区县（先选择省份）。")},
    )
    date_from = forms.DateField(
        label=_("决定日期自"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )
    date_to = forms.DateField(
        label=_("决定日期至"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("全部省份")), *province_choices()]
        province = str(self.data.get("province") or "")
        self.fields["county"].choices = [("", _("全部市、区县")), *county_choices(province)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self, kind: str = "") -> selectors.PublicityFilter:
        data = self.cleaned_data
        county = data.get("county") or ""
        # A city ("130100") covers its counties: filter on the 4-digit prefix.
        region = (county[:4] if county.endswith("00") else county) or data.get("province") or ""
        return selectors.PublicityFilter(
            kind=kind,
            department=data.get("department"),
            region=region,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class StatisticsFilterForm(FilterForm):
    """Filters of the timeliness statistics: the year of decision and the department."""

    year = forms.TypedChoiceField(
        label=_("决定年份"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("没有这个年份的统计，请从列表中选择。")},
    )
    department = forms.ChoiceField(
        label=_("决定部门"),
        required=False,
        error_messages={"invalid_choice": _("没有这个部门，请从列表中选择。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = selectors.decision_years()
        self.fields["year"].choices = [(y, str(y)) for y in self.years]

    def clean_year(self) -> int:
        return self.cleaned_data.get("year") or self.years[0]
