"""Evidence uploads (objections, tip-offs, restoration applications): the type is read from the
file's first bytes (``filetype``), never from its name or the browser's word; the size and the
number of files are limited by the configuration; everything is checked before anything is
written."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from credit_portal.errors import DomainError


def evidence_storage() -> FileSystemStorage:
    """The evidence store, read from the settings when used (a callable, so that a migration
    does not freeze one machine's path). Outside the static root: served only by views that
    check who may see the case."""
    return FileSystemStorage(location=settings.EVIDENCE_ROOT, base_url=None)


# PDF and the common image formats: what a scanned decision, receipt or photo is.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int
    sha256: str


def files_check(
    files: Sequence[UploadedFile], *, max_bytes: int, max_files: int
) -> list[CheckedFile]:
    """Every file's type by content and its size; a refusal names the file and the rule."""
    if len(files) > max_files:
        raise DomainError(
            _("附件最多%(n)d个。/ At most %(n)d files.") % {"n": max_files},
            code="too_many_files",
            field="evidence",
        )
    checked = []
    for upload in files:
        name = (upload.name or "file")[-200:]
        if upload.size > max_bytes:
            raise DomainError(
                _(
                    "文件“%(name)s”超过%(mb).1f MB。/ The file “%(name)s” is larger than "
                    "%(mb).1f MB."
                )
                % {"name": name, "mb": max_bytes / 1024 / 1024},
                code="file_too_large",
                field="evidence",
            )
        upload.seek(0)
        head = upload.read(8192)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in ALLOWED:
            raise DomainError(
                _(
                    "文件“%(name)s”不是PDF、JPEG或PNG文件。/ The file “%(name)s” is not a PDF, "
                    "JPEG or PNG file."
                )
                % {"name": name},
                code="file_type",
                field="evidence",
            )
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append(
            CheckedFile(
                upload=upload,
                name=name,
                content_type=kind.mime,
                size=upload.size,
                sha256=digest.hexdigest(),
            )
        )
    return checked


def files_store(model, files: Sequence[CheckedFile], **case) -> int:
    """Store checked files as rows of ``model`` (a model with ``file``, ``name``,
    ``content_type``, ``size`` and ``sha256``), each under a name of our own, never the
    uploader's."""
    for checked in files:
        row = model(
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            **case,
        )
        stored = f"{secrets.token_hex(16)}.{ALLOWED[checked.content_type]}"
        row.file.save(stored, checked.upload, save=False)
        row.save()
    return len(files)
