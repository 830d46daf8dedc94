"""The shared web kit every app's views and forms build on (layer 1: it imports no app).

Pagination, the 4xx pages, the form base classes and the bilingual choice labels live here under
public names, so that an app never imports another app's views or forms (docs/architecture.md,
"Layers"). What needs the registry's concepts (who may enter the workbench, departments, the
USCC) lives in the registry's public modules: ``registry.access``, ``registry.labels``,
``registry.fields``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import capfirst

from credit_portal.errors import DomainError
from credit_portal.pagination import CappedPaginator

PER_PAGE = 20


# --- pages --------------------------------------------------------------------------------------
def paginate(
    request: HttpRequest,
    items,
    per_page: int = PER_PAGE,
    param: str = "page",
    *,
    capped: bool = False,
) -> tuple[Page, str]:
    """A page of ``items`` and the query string without the page number, for page links.

    ``get_page`` turns a malformed number into page 1 and a too-large one into the last page.
    ``capped``: a public list over the whole register counts at most 200 (pagination.py).
    """
    paginator = CappedPaginator if capped else Paginator
    page = paginator(items, per_page).get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    return page, params.urlencode()


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A DomainError outside a form: the 4xx page for its status, with its message."""
    template = {403: "403.html", 404: "404.html"}.get(exc.status, "400.html")
    return render(request, template, {"message": str(exc.message)}, status=exc.status)


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"message": message}, status=403)


def form_error_status(exc: DomainError) -> int:
    # An unknown USCC typed into a form is a bad input, not a missing page.
    return 400 if exc.status == 404 else exc.status


# --- labels ---------------------------------------------------------------------------------------
BILINGUAL_SPLIT = re.compile(r"\s*/\s+")


def local_label(text) -> str:
    """Model choice labels are bilingual ("存续 / active"): show the half for the active
    language, so a page reads in one language. Templates use the ``local`` filter."""
    text = str(text)
    # The slash may follow a full-width bracket without a space: "拟列入（陈述申辩期）/ proposed".
    parts = BILINGUAL_SPLIT.split(text, maxsplit=1)
    if len(parts) < 2:
        return text
    zh, en = parts
    if english():
        return capfirst(en.strip())
    return zh.strip()


def local_choices(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(value, local_label(label)) for value, label in choices]


# --- forms ----------------------------------------------------------------------------------------
def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form, next to the field it names when the form has it.

    A validator shared by many forms (the USCC's) does not know the form's field name: its
    errors name the usual one in ``form_field`` instead of ``field`` (which the API would show).
    """
    field = exc.field if exc.field in form.fields else None
    if field is None:
        usual = getattr(exc, "form_field", None)
        field = usual if usual in form.fields else None
    form.add_error(field, str(exc.message))


class Form(forms.Form):
    """Labels sit above their inputs: no "：" suffix."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LocalForm(Form):
    """Labels, help texts and choices in the page's language only (``local_label`` picks the
    half of "中文 / English"), so a page reads in one language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = local_label(field.label) if field.label else field.label
            if field.help_text:
                field.help_text = local_label(field.help_text)
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                field.choices = local_choices(field.choices)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the list may be empty. The
    type and size are the services' to check (``credit_portal.uploads``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in items if item]


def case_action(request: HttpRequest, case, draw, done: str, form_key: str, form, call):
    """One handler action on a case (an objection, a tip-off, a restoration application): the
    form checked, the service called, back to the case page; a refusal shows the case again
    with the message (at the form's field when there is a form). ``draw`` renders the case
    page (``draw(request, case, forms=..., status=...)``), ``done`` names its URL."""
    if form is None or form.is_valid():
        try:
            call(form)
        except DomainError as exc:
            if form is None:
                return error_page(request, exc)
            add_domain_error(form, exc)
            return draw(request, case, forms={form_key: form}, status=form_error_status(exc))
        return redirect(done, case.pk)
    return draw(request, case, forms={form_key: form}, status=400)


def file_download(stored) -> FileResponse:
    """An uploaded file (a row with ``file``, ``name``, ``content_type``), always as a download,
    never rendered inline, never cached: the caller has checked who may see it."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
