"""The test suite: same database engine as production (PostgreSQL), fast hashing."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PERSON_ID_KEY = "test-person-id-key"
# Static files are served by runserver/whitenoise elsewhere; tests need no collected files.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
# Evidence uploads of the tests go to a throwaway directory, not var/.
EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="cp-evidence-"))
