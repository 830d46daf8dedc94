"""Reading an import file: hash and encoding in one pass, CSV or .xlsx rows, the header, and
the rows streamed into the staging table with COPY."""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any

from django.utils.translation import gettext as _

from credit_portal.errors import DomainError

from .. import uscc as uscc_codes
from .file_format import (
    BY_KEY,
    COLUMNS,
    HEADER_NAMES,
    MAX_BYTES,
    MAX_ROWS,
    READ_CHUNK,
    ROWS_PER_COPY_CHUNK,
    ImportError_,
    _name_key,
)


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
