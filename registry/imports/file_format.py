"""The file format of the bulk decision import (documented on the upload page and in the
template), and its limits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from credit_portal.errors import DomainError

from ..models import CatalogueItem, Decision, Severity
from ..services import DECISION_CATALOGUE

# Limits (overridable in settings): a million rows is a large office's year of decisions.
MAX_BYTES = getattr(settings, "DECISION_IMPORT_MAX_BYTES", 256 * 1024 * 1024)
MAX_ROWS = getattr(settings, "DECISION_IMPORT_MAX_ROWS", 1_000_000)
READ_CHUNK = 1 << 20
ROWS_PER_COPY_CHUNK = 4096
ERROR_HEADER = ("行号 / line", "列 / column", "值 / value", "原因 / reason")


class ImportError_(DomainError):
    """The file as a whole cannot be imported (nothing is written)."""

    code = "import_invalid"


# --- the file format (documented on the upload page and in the template) -------------------
@dataclass(frozen=True)
class Column:
    key: str  # the staging column and Decision field
    zh: str
    en: str
    required: bool
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.zh}/{self.en}"


COLUMNS: tuple[Column, ...] = (
    Column("kind", "决定类别", "kind", True, ("类别", "决定种类", "decision kind")),
    Column(
        "uscc",
        "统一社会信用代码",
        "uscc",
        True,
        ("社会信用代码", "信用代码", "unified social credit code"),
    ),
    Column(
        "document_number",
        "决定文书号",
        "document_number",
        True,
        ("文书号", "决定书文号", "行政决定文书号", "document no"),
    ),
    Column("decision_date", "决定日期", "decision_date", True, ("作出决定日期",)),
    Column("title", "标题", "title", True, ("决定标题", "决定名称")),
    Column("content", "内容", "content", False, ("决定内容", "主要内容")),
    Column("legal_basis", "依据", "legal_basis", False, ("法律依据", "决定依据")),
    Column("severity", "严重程度", "severity", False, ("失信严重程度",)),
    Column("penalty_type", "处罚种类", "penalty_type", False, ("处罚类别",)),
    Column(
        "penalty_amount",
        "罚没金额",
        "penalty_amount",
        False,
        ("罚款金额", "金额", "amount"),
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}


def _name_key(text: str) -> str:
    """A header name as compared: NFKC, lower case, no required-marker, no unit in brackets."""
    text = unicodedata.normalize("NFKC", text).strip().lower().lstrip("*").strip()
    text = re.sub(r"\s*\([^)]*\)$", "", text)  # "罚没金额(元)", "amount (yuan)"
    return re.sub(r"[\s_\-]+", " ", text).strip()


HEADER_NAMES: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.zh, _column.en, _column.key, *_column.aliases):
        HEADER_NAMES[_name_key(_name)] = _column.key


def _local(label: object) -> tuple[str, str]:
    zh, _sep, en = str(label).partition(" / ")
    return zh.strip(), en.strip()


def _labels(choices: Iterable[tuple[str, object]], extra: dict[str, str]) -> dict[str, str]:
    """Accepted spellings (lower case) of each choice: code, Chinese and English label."""
    out: dict[str, str] = {}
    for value, label in choices:
        zh, en = _local(label)
        for name in (value, zh, en, *zh.split("、")):
            if name:
                out[name.lower()] = value
    out.update(extra)
    return out


def _kind_labels() -> dict[str, str]:
    extra: dict[str, str] = {"license": "licence", "administrative license": "licence"}
    catalogue_kinds = dict(CatalogueItem.Kind.choices)
    for kind, code in DECISION_CATALOGUE.items():
        zh, en = _local(catalogue_kinds[kind])  # "行政许可 / administrative licence"
        extra[en.lower()] = kind
        extra[code.lower()] = kind  # double-publicity codes: XK licence, CF penalty, ...
        extra[zh.removeprefix("行政")] = kind  # "许可", "处罚"
    return _labels(Decision.Kind.choices, extra)


def _severity_labels() -> dict[str, str]:
    return _labels(Severity.choices, {"": Severity.NONE, "无": Severity.NONE})


def _penalty_type_labels() -> dict[str, str]:
    return _labels(Decision.PenaltyType.choices, {"": ""})
