"""Bulk import of administrative decisions from CSV or Excel files: the service module for bulk
import (2019 No. 35, art. 15; 2016 No. 33, art. 17: decisions are published within 7 working
days, so departments record them in bulk from their case systems).

``decision_import`` applies the rules of ``services.decision_record`` to every row of a file,
set-based (docs/architecture.md §6, "Import": COPY into staging, validate in SQL, then insert):

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

One module per section: ``file_format`` (the columns and the limits), ``reading`` (steps 1-2),
``checks`` (3-4), ``report`` (the error report), ``service`` (``decision_import``: 5-6) and
``reads`` (for the workbench). The underscore helpers are the package's own: ``service`` calls
those of the other modules, nothing outside the package does. The public names are re-exported
below; a test that patches a limit or a callee patches it where it is looked up (``reading`` for
the limits, ``service`` for the audit call).
"""

from .checks import CHECK_SQL, CHECKS, CREATE_STAGE, DUES_SQL, INSERT_SQL, REPEATS_SQL
from .file_format import (
    BY_KEY,
    COLUMNS,
    ERROR_HEADER,
    HEADER_NAMES,
    MAX_BYTES,
    MAX_ROWS,
    READ_CHUNK,
    ROWS_PER_COPY_CHUNK,
    Column,
    ImportError_,
)
from .reads import (
    department_batches,
    error_report_bytes,
    template_csv,
    template_notes,
    template_xlsx,
)
from .service import decision_import

__all__ = [
    "BY_KEY",
    "CHECKS",
    "CHECK_SQL",
    "COLUMNS",
    "CREATE_STAGE",
    "DUES_SQL",
    "ERROR_HEADER",
    "HEADER_NAMES",
    "INSERT_SQL",
    "MAX_BYTES",
    "MAX_ROWS",
    "READ_CHUNK",
    "REPEATS_SQL",
    "ROWS_PER_COPY_CHUNK",
    "Column",
    "ImportError_",
    "decision_import",
    "department_batches",
    "error_report_bytes",
    "template_csv",
    "template_notes",
    "template_xlsx",
]
