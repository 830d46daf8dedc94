"""Reads for the workbench: a department's batches, the error report, the template files."""

from __future__ import annotations

import codecs
import csv
import io

from ..models import Decision, ImportBatch, Severity
from ..roles import Viewer
from .file_format import COLUMNS, ERROR_HEADER, Column, _local


# --- reads for the workbench ---------------------------------------------------------------------
def department_batches(viewer: Viewer):
    """The viewer's department's imports, newest first (none for other viewers)."""
    if not viewer.is_regulator:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(department=viewer.department).defer("error_report")


def error_report_bytes(batch: ImportBatch) -> bytes:
    """The error report as a download: UTF-8 with a BOM, so Excel opens it as UTF-8."""
    text = batch.error_report or "\r\n".join([",".join(ERROR_HEADER), ""])
    return codecs.BOM_UTF8 + text.encode("utf-8")


def template_csv() -> bytes:
    """The import template: the header row (bilingual names), UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([c.header for c in COLUMNS])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The import template as .xlsx: the header row, and a second sheet describing each column
    and its accepted values (only the first sheet is imported)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "决定 decisions"
    sheet.append([c.header for c in COLUMNS])
    for index, _column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 22
    notes = book.create_sheet("说明 notes")
    notes.append(["列 / column", "必填 / required", "说明 / notes"])
    for column, note in template_notes():
        notes.append([column.header, "是 / yes" if column.required else "否 / no", note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_notes() -> list[tuple[Column, str]]:
    """What each column holds and which values it accepts (bilingual; shown on the upload
    page and in the .xlsx template)."""
    kinds = ", ".join(f"{_local(label)[0]}({value})" for value, label in Decision.Kind.choices)
    severities = ", ".join(f"{_local(label)[0]}({value})" for value, label in Severity.choices)
    penalties = ", ".join(
        f"{_local(label)[0]}({value})" for value, label in Decision.PenaltyType.choices
    )
    notes = {
        "kind": f"{kinds}",
        "uscc": "18位统一社会信用代码，须已登记 / 18-character USCC of a registered entity",
        "document_number": "本部门同类决定中唯一；重复导入不会重复录入 / unique per kind in "
        "your department; importing it again records nothing new",
        "decision_date": "2025-09-30、2025/9/30、2025年9月30日；不晚于今天 / not in the future",
        "title": "最多300字 / at most 300 characters",
        "content": "",
        "legal_basis": "",
        "severity": f"{severities}；须为目录对该类决定规定的分级 / must be a tier the "
        "catalogue allows for the kind",
        "penalty_type": f"仅行政处罚，必填 / penalties only, required: {penalties}",
        "penalty_amount": "仅行政处罚；元，最多两位小数 / penalties only; yuan, two decimals",
    }
    return [(c, notes[c.key]) for c in COLUMNS]
