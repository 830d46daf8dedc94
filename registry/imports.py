"""Bulk import of administrative decisions from CSV or Excel files: the service module for bulk
import (2019 No. 35, art. 15; 2016 No. 33, art. 17: decisions are published within 7 working
days, so departments record them in bulk from their case systems).

``decision_import`` applies the rules of ``services.decision_record`` to every row of a file,
set-based (ARCHITECTURE 6, "Import": COPY into staging, validate in SQL, then insert):

1. the file is read once to hash it and find its encoding (UTF-8 with or without BOM, else
   GB18030, which is what Excel writes on Chinese Windows); .xlsx files are read with openpyxl;
2. the rows are streamed with their line numbers into a temporary staging table with COPY;
3. one query normalises and checks every row: kinds, severities and penalty types by code or
   label, the USCC by a join with the register (rows that do not join get the validator's exact
   reason), dates by pattern, duplicates within the file by grouping the narrow keys;
4. due dates come from the official calendar in SQL, with the arithmetic of
   ``credit_portal.calendar.add_working_days`` (the start day never counts; provisional when a
   year in between has no published holiday notice);
5. valid rows are inserted unless the department has recorded the same kind and document
   number already (an anti-join under ``services.decisions_lock``, which single recordings
   take too; ``ON CONFLICT`` cost five times more per row), so a decision already recorded
   (e.g. the same file imported again) counts as a duplicate (ownership needs no row per
   decision: it is the guardian permission on the deciding department, see ``Department``);
6. an ``ImportBatch`` keeps the counts and the error report (line, column, value, reason) and one
   AuditEvent records the job.

It is all one transaction. A problem with the file as a whole (empty, not CSV or XLSX, unknown
encoding or columns, too large) raises a DomainError and writes nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import logging
import re
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar.services import calendar_gap_record
from credit_portal.errors import DomainError

from . import uscc as uscc_codes
from .models import CatalogueItem, Decision, ImportBatch, Severity
from .roles import Viewer
from .selectors import entity_not_found
from .services import (
    DECISION_CATALOGUE,
    decisions_lock,
    publicity_config,
    regulator_required,
)

logger = logging.getLogger(__name__)

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


# --- reading the file -------------------------------------------------------------------------
@dataclass
class _Scan:
    sha256: str
    size: int
    head: bytes
    utf8: bool


def _raw(file: IO[bytes]) -> IO[bytes]:
    """The binary file under a Django UploadedFile (or the file itself)."""
    return getattr(file, "file", file)


def _scan(file: IO[bytes]) -> _Scan:
    """One pass: SHA-256, size, the first bytes, and whether it is all valid UTF-8."""
    raw = _raw(file)
    raw.seek(0)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, head, utf8 = 0, b"", True
    while chunk := raw.read(READ_CHUNK):
        if not head:
            head = chunk[:8192]
        size += len(chunk)
        if size > MAX_BYTES:
            raise ImportError_(
                _(
                    "文件超过 %(mb)d MB，请拆分后分批导入。/ The file is larger than %(mb)d MB; "
                    "split it and import the parts."
                )
                % {"mb": MAX_BYTES // (1024 * 1024)},
                code="import_too_large",
            )
        digest.update(chunk)
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    raw.seek(0)
    return _Scan(digest.hexdigest(), size, head, utf8)


def _format_of(filename: str, head: bytes) -> str:
    """'xlsx' or 'csv' by content first (a renamed file still works), then by name."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportError_(
            _(
                "这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入。/ This is an old "
                "Excel (.xls) file; save it as .xlsx or CSV and import that."
            ),
            code="import_xls",
        )
    if suffix == "xlsx":
        raise _xlsx_unreadable()
    if suffix not in ("csv", "txt", ""):
        raise _not_csv_or_xlsx()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        # Excel's "Unicode text" is UTF-16; anything else with NUL bytes is not text.
        raise ImportError_(
            _(
                "该文件不是 UTF-8 或 GB18030 编码的 CSV 文本文件，请在 Excel 中另存为“CSV UTF-8”"
                "或 .xlsx。/ This is not a CSV text file in UTF-8 or GB18030; in Excel, save it as "
                "“CSV UTF-8” or .xlsx."
            ),
            code="import_not_text",
        )
    return "csv"


def _not_csv_or_xlsx() -> ImportError_:
    return ImportError_(
        _(
            "只能导入 CSV（.csv）或 Excel（.xlsx）文件。/ Only CSV (.csv) and Excel (.xlsx) files "
            "can be imported."
        ),
        code="import_format",
    )


def _xlsx_unreadable() -> ImportError_:
    return ImportError_(
        _(
            "无法读取该 Excel 文件，文件可能已损坏；请另存为 .xlsx 或 CSV 后重试。/ This Excel "
            "file cannot be read and may be damaged; save it as .xlsx or CSV and try again."
        ),
        code="import_xlsx_unreadable",
    )


def _csv_rows(file: IO[bytes], utf8: bool) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, fields); the line counts physical lines, as an editor does."""
    text = io.TextIOWrapper(_raw(file), encoding="utf-8-sig" if utf8 else "gb18030", newline="")
    try:
        sample = text.read(65536)
        text.seek(0)
        first = sample.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        reader = csv.reader(text, delimiter=delimiter)
        previous = 0
        try:
            for row in reader:
                yield previous + 1, row
                previous = reader.line_num
        except csv.Error as exc:
            raise ImportError_(
                _("第%(line)d行无法解析：%(error)s。/ Line %(line)d cannot be read: %(error)s.")
                % {"line": previous + 1, "error": exc},
                code="import_csv_error",
            ) from None
    except UnicodeDecodeError:
        raise ImportError_(
            _(
                "无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV。/ The file's encoding is "
                "not recognised; save the CSV as UTF-8 or GB18030."
            ),
            code="import_encoding",
        ) from None
    finally:
        if not text.buffer.closed:
            text.detach()  # leave the uploaded file open for its owner


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel keeps every number as a double: 5000 is 5000.0.
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the first worksheet; formulas give their cached values."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Workbook contains no default style"
            book = openpyxl.load_workbook(_raw(file), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise _xlsx_unreadable() from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    except (zipfile.BadZipFile, IndexError, KeyError, ValueError, SyntaxError):  # ParseError too
        raise _xlsx_unreadable() from None
    finally:
        book.close()


def _header(cells: Sequence[str]) -> list[str | None]:
    """The column key of each header cell (None: an empty cell, ignored)."""
    keys: list[str | None] = []
    unknown: list[str] = []
    for cell in cells:
        text = cell.replace("\ufeff", "").strip()
        if not text:
            keys.append(None)
            continue
        found = {HEADER_NAMES.get(_name_key(part)) for part in text.split("/") if part.strip()}
        if len(found) == 1 and None not in found:
            keys.append(found.pop())
        else:
            keys.append(None)
            unknown.append(text)
    if unknown:
        raise ImportError_(
            _(
                "表头中有无法识别的列名：%(names)s。可用列名见导入模板。/ Unknown column names in "
                "the header: %(names)s. The template lists the accepted names."
            )
            % {"names": "、".join(unknown)},
            code="import_unknown_column",
        )
    present = [k for k in keys if k]
    twice = sorted({BY_KEY[k].zh for k in present if present.count(k) > 1})
    if twice:
        raise ImportError_(
            _("表头中列名重复：%(names)s。/ Columns appear twice in the header: %(names)s.")
            % {"names": "、".join(twice)},
            code="import_duplicate_column",
        )
    missing = [c.header for c in COLUMNS if c.required and c.key not in present]
    if missing:
        raise ImportError_(
            _("缺少必填列：%(names)s。/ Required columns are missing: %(names)s.")
            % {"names": "、".join(missing)},
            code="import_missing_column",
        )
    return keys


@dataclass
class _Staged:
    rows: int = 0
    keys: tuple[str, ...] = ()
    names: dict[str, str] | None = None  # column key -> the header as written in the file
    error: DomainError | None = None


class _CopySource:
    """A read()-able view of an iterator of text chunks, as COPY FROM STDIN wants it."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._buffer = ""
        self._pos = 0

    def read(self, size: int = -1) -> str:
        if self._pos >= len(self._buffer):
            self._buffer = next(self._chunks, "")
            self._pos = 0
        if size < 0:
            size = len(self._buffer)
        out = self._buffer[self._pos : self._pos + size]
        self._pos += size
        return out


def _copy_chunks(rows: Iterator[tuple[int, list[str]]], staged: _Staged) -> Iterator[str]:
    """Header first, then the data rows as CSV for COPY: line, extra-cells flag, the columns.

    Problems with the file as a whole are kept in ``staged.error`` (the caller raises them
    after COPY) so that PostgreSQL sees a clean end of data.
    """
    try:
        for _line, cells in rows:
            if any(c.strip() for c in cells):
                keys = _header(cells)
                break
        else:
            raise ImportError_(_("文件是空的。/ The file is empty."), code="import_empty")
        width = len(keys)
        positions = [i for i, k in enumerate(keys) if k]
        staged.keys = tuple(keys[i] for i in positions)  # type: ignore[misc]
        staged.names = {keys[i]: cells[i].replace("\ufeff", "").strip() for i in positions}
        pick = itemgetter(*positions)  # at least the five required columns: a tuple
        at_uscc = staged.keys.index("uscc")
        normalise = uscc_codes.normalise
        out = io.StringIO()
        write = csv.writer(out, lineterminator="\n").writerow
        count = 0
        for line, row in rows:
            extra = "f"
            if len(row) != width:
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                elif any(c.strip() for c in row[width:]):
                    extra = "t"
            # Cells are trimmed here (as str.strip() in the services; much cheaper than in
            # SQL) and the USCC normalised as registry.uscc does, for the join in SQL.
            values = list(map(str.strip, pick(row)))
            if extra == "f" and not any(values):
                continue  # blank lines (Excel leaves some at the end) are not rows
            code = values[at_uscc]
            code = code.upper() if code.isascii() and code.isalnum() else normalise(code)
            count += 1
            if count > MAX_ROWS:
                raise ImportError_(
                    _(
                        "文件超过 %(n)d 行数据，请拆分后分批导入。/ The file has more than %(n)d "
                        "data rows; split it and import the parts."
                    )
                    % {"n": MAX_ROWS},
                    code="import_too_many_rows",
                )
            write((line, extra, code, *values))
            if count % ROWS_PER_COPY_CHUNK == 0:
                yield _clean(out.getvalue())
                out.seek(0)
                out.truncate()
        staged.rows = count
        if count == 0:
            raise ImportError_(
                _("文件中只有表头，没有数据行。/ The file has a header but no data rows."),
                code="import_no_rows",
            )
        yield _clean(out.getvalue())
    except DomainError as exc:
        staged.error = exc


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL; a stray one in a cell is dropped, not a failed import.
    return text.replace("\x00", "") if "\x00" in text else text


# --- the set-based checks ---------------------------------------------------------------------
_DATE_SEPARATED = (
    r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_DATE_COMPACT = r"^([0-9]{4})([0-9]{2})([0-9]{2})$"
_AMOUNT = r"^[+-]?([0-9]+(\.[0-9]{0,2})?|\.[0-9]{1,2})$"

# Every check: (code, column, condition over import_checked). A row is valid when none holds.
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("extra_cells", "", "extra"),
    ("invalid_kind", "kind", "kind IS NULL"),
    ("uscc", "uscc", "entity_id IS NULL"),
    ("document_number_empty", "document_number", "document_number = ''"),
    ("document_number_long", "document_number", "char_length(document_number) > 100"),
    ("title_empty", "title", "title = ''"),
    ("title_long", "title", "char_length(title) > 300"),
    ("date_empty", "decision_date", "date_text = ''"),
    ("date_format", "decision_date", "date_text <> '' AND decision_date IS NULL"),
    ("date_in_future", "decision_date", "decision_date > %(today)s"),
    ("unknown_catalogue_item", "kind", "kind IS NOT NULL AND NOT catalogued"),
    ("severity_unknown", "severity", "severity IS NULL"),
    ("invalid_severity", "severity", "catalogued AND severity IS NOT NULL AND NOT allowed"),
    ("not_penalty", "penalty_type", "kind <> 'penalty' AND penalty_type_text <> ''"),
    ("not_penalty", "penalty_amount", "kind <> 'penalty' AND amount_text <> ''"),
    ("penalty_type_empty", "penalty_type", "kind = 'penalty' AND penalty_type_text = ''"),
    (
        "penalty_type_unknown",
        "penalty_type",
        "kind = 'penalty' AND penalty_type_text <> '' AND penalty_type IS NULL",
    ),
    ("amount_format", "penalty_amount", "amount_text <> '' AND penalty_amount IS NULL"),
    ("amount_negative", "penalty_amount", "penalty_amount < 0"),
    ("amount_too_large", "penalty_amount", "penalty_amount >= 1e14"),
    ("duplicate_in_file", "document_number", "line > first_line"),
)


def _any_check() -> str:
    return " OR ".join(f"coalesce({cond}, false)" for _code, _col, cond in CHECKS)


def _stage_sql(keys: Sequence[str]) -> str:
    columns = ", ".join(("uscc_code", *keys))
    return (
        f"COPY import_stage (line, extra, {columns}) FROM STDIN "
        f"WITH (FORMAT csv, FORCE_NOT_NULL ({columns}))"
    )


CREATE_STAGE = """
    DROP TABLE IF EXISTS import_stage, import_repeats, import_checked, import_dues;
    CREATE TEMPORARY TABLE import_stage (
        line integer NOT NULL, extra boolean NOT NULL, uscc_code text NOT NULL,
        kind text NOT NULL DEFAULT '', uscc text NOT NULL DEFAULT '',
        document_number text NOT NULL DEFAULT '', decision_date text NOT NULL DEFAULT '',
        title text NOT NULL DEFAULT '', content text NOT NULL DEFAULT '',
        legal_basis text NOT NULL DEFAULT '', severity text NOT NULL DEFAULT '',
        penalty_type text NOT NULL DEFAULT '', penalty_amount text NOT NULL DEFAULT ''
    ) ON COMMIT DROP
"""

# Cells arrive trimmed and the USCC normalised (see _copy_chunks). Dates are read like
# 2025-09-30, 2025/9/30, 2025年9月30日 or 20250930 (full-width digits too); a cheap test
# (no regular expression) lets the usual 2025-09-30 through first.
# "OFFSET 0" keeps each step a subquery of its own: otherwise PostgreSQL inlines it and
# evaluates an expression again at every reference (it was 20x slower).
CHECK_SQL = """
    CREATE TEMPORARY TABLE import_checked ON COMMIT DROP AS
    WITH parsed AS (
        SELECT s.line, s.extra, s.uscc_code, s.document_number, s.title, s.content,
            s.legal_basis, s.decision_date AS date_text,
            lower(s.kind) AS kind_text, lower(s.severity) AS severity_text,
            lower(s.penalty_type) AS penalty_type_text, s.penalty_amount AS amount_text,
            CASE WHEN octet_length(s.decision_date) = 10
                      AND translate(s.decision_date, '0123456789', '') = '--'
                      AND substr(s.decision_date, 5, 1) = '-'
                      AND substr(s.decision_date, 8, 1) = '-'
                 THEN ARRAY[substr(s.decision_date, 1, 4), substr(s.decision_date, 6, 2),
                            substr(s.decision_date, 9, 2)]::integer[]
                 WHEN s.decision_date <> ''
                 THEN coalesce(
                      regexp_match(normalize(s.decision_date, NFKC), %(date_separated)s),
                      regexp_match(normalize(s.decision_date, NFKC), %(date_compact)s)
                 )::integer[]
            END AS ymd,
            CASE WHEN s.penalty_amount = '' THEN NULL
                 WHEN s.penalty_amount ~ %(amount)s THEN s.penalty_amount::numeric
                 WHEN translate(s.penalty_amount, %(amount_noise)s, '') ~ %(amount)s
                 THEN translate(s.penalty_amount, %(amount_noise)s, '')::numeric
            END AS penalty_amount
        FROM import_stage s
        OFFSET 0
    ), checked AS (
        SELECT p.line, p.extra, k.kind, coalesce(k.catalogued, false) AS catalogued,
            e.uscc AS entity_id, p.document_number, p.title, p.content, p.legal_basis,
            p.date_text,
            CASE WHEN p.ymd[1] >= 1 AND p.ymd[2] BETWEEN 1 AND 12 AND p.ymd[3] BETWEEN 1 AND
                      CASE WHEN p.ymd[2] = 2 THEN
                               CASE WHEN (mod(p.ymd[1], 4) = 0 AND mod(p.ymd[1], 100) <> 0)
                                         OR mod(p.ymd[1], 400) = 0 THEN 29 ELSE 28 END
                           WHEN p.ymd[2] IN (4, 6, 9, 11) THEN 30 ELSE 31 END
                 THEN make_date(p.ymd[1], p.ymd[2], p.ymd[3]) END AS decision_date,
            p.severity_text, sv.severity, a.kind IS NOT NULL AS allowed,
            p.penalty_type_text,
            CASE WHEN k.kind = 'penalty' THEN pt.penalty_type ELSE '' END AS penalty_type,
            p.amount_text, p.penalty_amount, coalesce(r.first_line, p.line) AS first_line
        FROM parsed p
        LEFT JOIN unnest(%(kind_labels)s::text[], %(kind_values)s::text[],
                         %(kind_catalogued)s::boolean[]) AS k(label, kind, catalogued)
               ON k.label = p.kind_text
        LEFT JOIN unnest(%(severity_labels)s::text[], %(severity_values)s::text[])
                  AS sv(label, severity) ON sv.label = p.severity_text
        LEFT JOIN unnest(%(allowed_kinds)s::text[], %(allowed_severities)s::text[])
                  AS a(kind, severity) ON a.kind = k.kind AND a.severity = sv.severity
        LEFT JOIN unnest(%(penalty_labels)s::text[], %(penalty_values)s::text[])
                  AS pt(label, penalty_type) ON pt.label = p.penalty_type_text
        LEFT JOIN registry_marketentity e ON e.uscc = p.uscc_code
        LEFT JOIN import_repeats r
               ON r.kind = k.kind AND r.document_number = p.document_number
        OFFSET 0
    )
    SELECT c.*, NOT (ANY_CHECK) AS ok FROM checked c
"""

# Kind and document number more than once in the file: found by hashing the narrow keys
# (a window function over the wide rows sorted 270 MB on disk for a million rows).
REPEATS_SQL = """
    CREATE TEMPORARY TABLE import_repeats ON COMMIT DROP AS
    SELECT k.kind, s.document_number, min(s.line) AS first_line
    FROM import_stage s
    JOIN unnest(%(kind_labels)s::text[], %(kind_values)s::text[]) AS k(label, kind)
      ON k.label = lower(s.kind)
    WHERE s.document_number <> ''
    GROUP BY k.kind, s.document_number
    HAVING count(*) > 1
"""

# The official calendar in SQL: number the working days of the range (OfficialDay exceptions,
# else Monday-Friday); the due date is the working day numbered count(start) + N, where
# count(day) is the number of working days up to and including the day, so the start day
# itself never counts (as in add_working_days).
DUES_SQL = """
    CREATE TEMPORARY TABLE import_dues ON COMMIT DROP AS
    WITH days AS (
        SELECT g.day::date AS day,
               coalesce(o.is_working_day, extract(isodow FROM g.day) < 6) AS working
        FROM generate_series(%(lo)s::date, %(hi)s::date, interval '1 day') AS g(day)
        LEFT JOIN calendar_officialday o ON o.date = g.day::date
    ), counted AS (
        SELECT day, working, count(*) FILTER (WHERE working) OVER (ORDER BY day) AS number
        FROM days
    ), starts AS (
        SELECT DISTINCT decision_date FROM import_checked WHERE ok
    ), dues AS (
        SELECT s.decision_date,
               CASE WHEN %(n)s = 0 THEN s.decision_date ELSE w.day END AS due
        FROM starts s
        JOIN counted c ON c.day = s.decision_date
        LEFT JOIN counted w ON w.working AND w.number = c.number + %(n)s
    )
    -- Provisional when a year from the start to the due date has no published notice.
    SELECT d.decision_date, d.due, EXISTS (
        SELECT 1 FROM generate_series(extract(year FROM d.decision_date)::integer,
                                      extract(year FROM d.due)::integer) AS y(year)
        WHERE y.year NOT IN (SELECT year FROM calendar_calendaryear WHERE published)
    ) AS provisional
    FROM dues d
"""

INSERT_SQL = """
    INSERT INTO registry_decision (
        kind, department_id, entity_id, document_number, decision_date, title, content,
        legal_basis, severity, penalty_type, penalty_amount, status, publicity_due,
        publicity_due_provisional, change, change_reason, recorded_by_id, created_at)
    SELECT c.kind, %(department)s, c.entity_id, c.document_number, c.decision_date, c.title,
        c.content, c.legal_basis, c.severity, c.penalty_type, c.penalty_amount, 'recorded',
        d.due, d.provisional, '', '', %(user)s, now()
    FROM import_checked c
    JOIN import_dues d ON d.decision_date = c.decision_date
    WHERE c.ok AND NOT EXISTS (
        SELECT 1 FROM registry_decision x
        WHERE x.department_id = %(department)s AND x.kind = c.kind
          AND x.document_number = c.document_number
    )
"""


def _check_params(today: datetime.date) -> dict[str, Any]:
    kinds = _kind_labels()
    items = {
        item.code: item
        for item in CatalogueItem.objects.filter(code__in=DECISION_CATALOGUE.values(), active=True)
    }
    allowed = [
        (kind, severity)
        for kind, code in DECISION_CATALOGUE.items()
        if code in items
        for severity in (items[code].severities or [Severity.NONE])
    ]
    severities = _severity_labels()
    penalties = _penalty_type_labels()
    return {
        "amount_noise": " ,，元¥￥",
        "date_separated": _DATE_SEPARATED,
        "date_compact": _DATE_COMPACT,
        "amount": _AMOUNT,
        "today": today,
        "kind_labels": list(kinds),
        "kind_values": list(kinds.values()),
        "kind_catalogued": [DECISION_CATALOGUE[k] in items for k in kinds.values()],
        "severity_labels": list(severities),
        "severity_values": list(severities.values()),
        "allowed_kinds": [k for k, _s in allowed],
        "allowed_severities": [s for _k, s in allowed],
        "penalty_labels": list(penalties),
        "penalty_values": list(penalties.values()),
    }


def _compute_dues(cursor, n: int) -> None:
    """Due dates for every decision date of the valid rows, widening the range if needed."""
    cursor.execute("SELECT min(decision_date), max(decision_date) FROM import_checked WHERE ok")
    lo, hi = cursor.fetchone()
    if lo is None:
        cursor.execute(
            "CREATE TEMPORARY TABLE import_dues (decision_date date, due date, "
            "provisional boolean) ON COMMIT DROP"
        )
        return
    span = n * 2 + 30  # as add_working_days: room for the longest holiday run
    while True:
        cursor.execute(DUES_SQL, {"lo": lo, "hi": hi + datetime.timedelta(days=span), "n": n})
        cursor.execute("SELECT count(*) FROM import_dues WHERE due IS NULL")
        if not cursor.fetchone()[0]:
            break
        cursor.execute("DROP TABLE import_dues")
        span *= 2  # pathological calendars (long runs of holidays): look further
    cursor.execute(
        "SELECT DISTINCT y.year FROM import_dues d, generate_series("
        "extract(year FROM d.decision_date)::integer, extract(year FROM d.due)::integer) y(year) "
        "WHERE y.year NOT IN (SELECT year FROM calendar_calendaryear WHERE published) "
        "ORDER BY 1"
    )
    unknown = tuple(row[0] for row in cursor.fetchall())
    if unknown:  # as add_working_days does: warn administrators, never guess
        logger.warning("import: working days computed from weekends only for years %s", unknown)
        calendar_gap_record(years=unknown)


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


# --- the service --------------------------------------------------------------------------------
@transaction.atomic
def decision_import(*, actor, file: IO[bytes], filename: str) -> ImportBatch:
    """Import a department's decisions from a CSV or .xlsx file (35/15), by the rules of
    ``services.decision_record``: valid rows are stored, every bad row is reported, a decision
    already recorded is a duplicate (not stored again), and nothing is half-written."""
    viewer: Viewer = regulator_required(actor)
    department = viewer.department
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"
    scan = _scan(file)
    if scan.size == 0:
        raise ImportError_(_("文件是空的。/ The file is empty."), code="import_empty")
    kind = _format_of(filename, scan.head)
    rows = _xlsx_rows(file) if kind == "xlsx" else _csv_rows(file, scan.utf8)
    today = timezone.localdate()
    staged = _Staged()
    phases = _Phases()
    with closing(rows), connection.cursor() as cursor:
        # The job's own memory for sorts and hashes (ARCHITECTURE 6: work_mem).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(CREATE_STAGE)
        chunks = _copy_chunks(rows, staged)
        first = next(chunks, None)  # reads the header: its errors come before any COPY
        if staged.error is not None:
            raise staged.error
        source = _CopySource(_chain(first, chunks))
        cursor.copy_expert(_stage_sql(staged.keys), source, READ_CHUNK)
        if staged.error is not None:
            raise staged.error
        cursor.execute("ANALYZE import_stage")
        phases.done("read and copy")
        params = _check_params(today)
        cursor.execute(REPEATS_SQL, params)
        cursor.execute(CHECK_SQL.replace("ANY_CHECK", _any_check()), params)
        cursor.execute("ANALYZE import_checked")
        cursor.execute("SELECT count(*) FILTER (WHERE ok) FROM import_checked")
        valid = cursor.fetchone()[0]
        phases.done("check")
        rejected, report = _error_rows(cursor, today, staged.names or {})
        phases.done("error report")
        _compute_dues(cursor, publicity_config().publish_within)
        phases.done("due dates")
        # From here to the commit the department records nothing else, so the anti-join in
        # INSERT_SQL is exact and two imports of one file cannot deadlock; the lock is taken
        # this late so that reading and checking a large file does not hold up the workbench.
        decisions_lock(department)
        # INSERT_SQL's anti-join reads the table it inserts into. Planned while that table is
        # (nearly) empty, a nested loop over a sequential scan would rescan it for every row,
        # rows just inserted included (quadratic; see services.publicity_flag_overdue). Without
        # sequential scans the decisions are probed through their unique index, however many
        # other departments' decisions the table holds.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            INSERT_SQL,
            {
                "department": department.pk,
                "user": actor.pk if getattr(actor, "pk", None) else None,
            },
        )
        stored = cursor.rowcount
        cursor.execute("RESET enable_seqscan")
        cursor.execute("DROP TABLE import_stage, import_repeats, import_checked, import_dues")
        phases.done("insert")
    batch = ImportBatch.objects.create(
        department=department,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        filename=filename,
        file_sha256=scan.sha256,
        rows_total=staged.rows,
        rows_stored=stored,
        rows_duplicate=valid - stored,
        rows_rejected=rejected,
        error_report=report if rejected else "",
    )
    audit_event_record(
        actor=actor,
        action="decision.import",
        target=batch,
        department_code=viewer.department_code,
        after={
            "filename": filename,
            "sha256": scan.sha256,
            "rows": staged.rows,
            "stored": stored,
            "duplicate": valid - stored,
            "rejected": rejected,
        },
    )
    logger.debug("decision_import %s: %s", batch.pk, phases)
    return batch


class _Phases:
    """Seconds per phase (logged at DEBUG; the benchmark prints them). Commit comes after."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self._last
        self._last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {s:.2f} s" for name, s in self.seconds.items())


def _chain(first: str | None, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


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
