"""The error report of an import: one line per rejected cell (line, column, value, reason)."""

from __future__ import annotations

import csv
import datetime
import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .. import uscc as uscc_codes
from ..models import CatalogueItem, Severity
from ..selectors import entity_not_found
from ..services import DECISION_CATALOGUE
from .checks import CHECKS
from .file_format import BY_KEY, COLUMNS, ERROR_HEADER, _local


# --- the error report ---------------------------------------------------------------------------
def _uscc_reason(raw: str) -> str:
    try:
        code = uscc_codes.validate(raw)
    except uscc_codes.InvalidUSCC as exc:
        return str(exc.message)
    return str(entity_not_found(code).message)


def _messages() -> dict[str, str]:
    """Reasons, in Chinese and English; where a rule is decision_record's, so is the text."""
    return {
        "extra_cells": _(
            "本行的单元格多于表头的列数。/ This row has more cells than the header has columns."
        ),
        "invalid_kind": _(
            "决定类别无效，应为行政许可、行政处罚等十类之一。/ Unknown decision kind; use one "
            "of the ten kinds (licence, penalty, ...)."
        ),
        "document_number_empty": _("请填写决定文书号。/ Enter the document number."),
        "document_number_long": _(
            "决定文书号不能超过100个字符。/ The document number has at most 100 characters."
        ),
        "title_empty": _("请填写标题。/ Enter a title."),
        "title_long": _("标题不能超过300个字符。/ The title has at most 300 characters."),
        "date_empty": _("请填写决定日期。/ Enter the decision date."),
        "date_format": _(
            "决定日期无效，格式应为 2025-09-30。/ The decision date is not a valid date like "
            "2025-09-30."
        ),
        "date_in_future": _("决定日期不能晚于今天。/ The decision date cannot be in the future."),
        "severity_unknown": _(
            "严重程度无效，应为不适用、警告、轻微、一般或严重。/ Unknown severity; use none, "
            "warning, minor, general or serious."
        ),
        "not_penalty": _(
            "只有行政处罚可填写处罚种类和金额。/ Only penalties have a penalty type and amount."
        ),
        "penalty_type_empty": _("请选择处罚种类。/ Choose the penalty type."),
        "penalty_type_unknown": _(
            "处罚种类无效，应为警告、罚款、暂扣许可证件、限制开展生产经营活动、吊销许可证件、"
            "行政拘留或其他。/ Unknown penalty type; use warning, fine, suspension, restriction, "
            "revocation, detention or other."
        ),
        "amount_format": _(
            "罚没金额应为数字，最多两位小数。/ The amount must be a number with at most two "
            "decimals."
        ),
        "amount_negative": _("金额不能为负。/ The amount cannot be negative."),
        "amount_too_large": _("罚没金额过大。/ The amount is too large."),
    }


def _severity_message(kind: str, items: dict[str, CatalogueItem]) -> str:
    item = items.get(DECISION_CATALOGUE[kind])
    allowed = (item.severities if item else None) or [Severity.NONE]
    labels = dict(Severity.choices)
    names = ", ".join(f"{_local(labels[s])[0]}({s})" for s in allowed)
    name = item.name if item else kind
    return _("%(kind)s的严重程度只能是：%(allowed)s。/ Severity must be one of: %(allowed)s.") % {
        "kind": name,
        "allowed": names,
    }


def _catalogue_message(kind: str) -> str:
    code = DECISION_CATALOGUE[kind]
    return _(
        "信用信息目录中没有编码为“%(code)s”的有效条目。/ The catalogue has no active item "
        "“%(code)s”."
    ) % {"code": code}


def _error_rows(cursor, today: datetime.date, names: dict[str, str]) -> tuple[int, str]:
    """(rejected rows, the report as CSV text) for every row with a failed check."""
    conditions = ", ".join(f"coalesce({cond}, false)" for _c, _col, cond in CHECKS)
    cursor.execute(
        f"""
        SELECT c.*, s.kind, s.uscc, s.document_number, s.decision_date, s.title, s.content,
               s.legal_basis, s.severity, s.penalty_type, s.penalty_amount
        FROM (SELECT line, kind, first_line, {conditions} FROM import_checked WHERE NOT ok) c
        JOIN import_stage s ON s.line = c.line
        ORDER BY c.line
        """,
        {"today": today},
    )
    items = {i.code: i for i in CatalogueItem.objects.filter(code__in=DECISION_CATALOGUE.values())}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ERROR_HEADER)
    rejected = 0
    with translation.override(settings.LANGUAGE_CODE):  # reasons stay bilingual in the file
        messages = _messages()
        uscc_reasons: dict[str, str] = {}
        raw_columns = [c.key for c in COLUMNS]
        n_checks = len(CHECKS)
        for row in cursor.fetchall():
            rejected += 1
            line, kind, first_line = row[0], row[1], row[2]
            failed = row[3 : 3 + n_checks]
            raw = dict(zip(raw_columns, row[3 + n_checks :], strict=True))
            for (code, column, _cond), hit in zip(CHECKS, failed, strict=True):
                if not hit:
                    continue
                value = (raw.get(column) or "") if column else ""
                if code == "uscc":
                    reason = uscc_reasons.get(value)
                    if reason is None:
                        reason = uscc_reasons[value] = _uscc_reason(value)
                elif code == "invalid_severity":
                    reason = _severity_message(kind, items)
                elif code == "unknown_catalogue_item":
                    reason = _catalogue_message(kind)
                elif code == "duplicate_in_file":
                    reason = _(
                        "与文件第%(line)d行的决定类别和文书号相同。/ Same kind and document "
                        "number as line %(line)d of the file."
                    ) % {"line": first_line}
                else:
                    reason = messages[code]
                header = names.get(column, BY_KEY[column].header) if column else ""
                writer.writerow((line, header, value, reason))
    return rejected, out.getvalue()
