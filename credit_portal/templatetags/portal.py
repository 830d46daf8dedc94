"""Generic display filters for every app's templates (layer 1: no app's concepts).

Views hand selectors' results to templates as they are; the template turns a code into its label
in the active language. Registered as a builtin in ``TEMPLATES`` (``credit_portal`` is not an
installed app), so no template needs ``{% load %}``.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from credit_portal.web import english, local_label

register = template.Library()


@register.filter
def local(text) -> str:
    """The active language's half of a bilingual label: ``{{ row.get_status_display|local }}``."""
    if text is None:
        return ""
    return local_label(text)


@register.filter
def local_name(obj) -> str:
    """``name_en`` in English when there is one, else ``name`` (departments, catalogue items,
    rules); empty for None."""
    if obj is None:
        return ""
    name_en = getattr(obj, "name_en", "")
    return name_en if english() and name_en else obj.name


@register.filter
def amount(value: Decimal | None) -> str:
    """Grouped by thousands with two decimals in both languages, as on a penalty decision."""
    return "" if value is None else f"{value:,.2f}"


@register.filter
def choice_labels(obj, field_name: str) -> list[str]:
    """The labels of the codes in an array field with choices, for ``join``:
    ``{{ measure|choice_labels:"list_kinds"|join:"、" }}``."""
    field = obj._meta.get_field(field_name)
    choices = dict(getattr(field, "base_field", field).flatchoices)
    return [local_label(choices.get(code, code)) for code in getattr(obj, field_name) or ()]
