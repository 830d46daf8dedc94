"""The workbench's bulk import of decisions: the upload page, the result page, the error report
and the template downloads. Thin views: every rule is in ``registry.imports``; a batch is seen
only by its own department (another department gets a 404, as for decisions)."""

from __future__ import annotations

import csv
import io
from itertools import islice

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credit_portal.errors import DomainError, NotFound
from credit_portal.web import Form, error_page

from . import imports
from .access import no_department, workbench_view
from .models import ImportBatch
from .roles import Viewer
from .views import MAX_ID

PREVIEW_ROWS = 50
RECENT_BATCHES = 10
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The form lives here rather than in forms.py: it belongs to this page only.
class DecisionImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("导入文件（CSV 或 Excel .xlsx）"),
        # The service says "the file is empty" in both languages; Django's check would not.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_TYPE}"}),
    )


def _own_batch(viewer: Viewer, batch_id: int) -> ImportBatch | None:
    if batch_id > MAX_ID:
        return None
    return ImportBatch.objects.filter(department=viewer.department, pk=batch_id).first()


def _not_own_batch() -> DomainError:
    return NotFound(_("本部门没有这次导入。"), code="import_not_found")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@workbench_view
def decision_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form with the template and the department's recent imports.
    POST: import the file and show the result."""
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    status = 200
    if request.method == "POST":
        form = DecisionImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = imports.decision_import(
                    actor=request.user, file=upload, filename=upload.name
                )
            except DomainError as exc:
                form.add_error("file", str(exc.message))
                status = exc.status if exc.status != 404 else 400
            else:
                messages.success(
                    request,
                    _(
                        "导入完成：新增 %(stored)s 条，已存在 %(duplicate)s 条，"
                        "有错误 %(rejected)s 行。"
                    )
                    % {
                        "stored": batch.rows_stored,
                        "duplicate": batch.rows_duplicate,
                        "rejected": batch.rows_rejected,
                    },
                )
                return redirect("workbench:decision-import-result", batch_id=batch.pk)
    else:
        form = DecisionImportForm()
    return render(
        request,
        "registry/import_form.html",
        {
            "form": form,
            "notes": imports.template_notes(),
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
            "max_rows": imports.MAX_ROWS,
            "batches": imports.department_batches(viewer)[:RECENT_BATCHES],
        },
        status=status,
    )


@workbench_view
def decision_import_result(request: HttpRequest, batch_id: int) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    batch = _own_batch(viewer, batch_id)
    if batch is None:
        return error_page(request, _not_own_batch())
    rows = csv.reader(io.StringIO(batch.error_report))
    next(rows, None)  # the header
    return render(
        request,
        "registry/import_result.html",
        {
            "batch": batch,
            "errors": list(islice(rows, PREVIEW_ROWS)),
            "preview_rows": PREVIEW_ROWS,
        },
    )


@workbench_view
def decision_import_errors(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The error report: CSV, UTF-8 with a BOM (Excel opens it as UTF-8)."""
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    batch = _own_batch(viewer, batch_id)
    if batch is None:
        return error_page(request, _not_own_batch())
    return _attachment(
        imports.error_report_bytes(batch),
        "text/csv; charset=utf-8",
        f"decision-import-{batch.pk}-errors.csv",
    )


@workbench_view
def decision_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if not request.viewer.is_regulator:
        return no_department(request)
    if fmt == "csv":
        return _attachment(
            imports.template_csv(), "text/csv; charset=utf-8", "decision-import-template.csv"
        )
    if fmt == "xlsx":
        return _attachment(imports.template_xlsx(), XLSX_TYPE, "decision-import-template.xlsx")
    return error_page(request, NotFound(_("没有这种格式的模板。"), code="template_not_found"))
