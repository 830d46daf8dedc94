"""The English catalogue: every Chinese-only interface string has an English translation, no
entry is left fuzzy (makemessages' guesses are often wrong), and the compiled .mo that Django
reads is the .po as it stands (compile with msgfmt after editing)."""

from __future__ import annotations

import re
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
# "中文 / English" service messages carry their English in the message itself.
BILINGUAL = re.compile(r"/\s*[A-Za-z%(]")


def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_no_entry_is_fuzzy():
    assert [e.msgid for e in catalogue().fuzzy_entries()] == []


def test_every_chinese_only_string_is_translated():
    missing = [
        e.msgid
        for e in catalogue().untranslated_entries()
        if not e.obsolete and not BILINGUAL.search(e.msgid)
    ]
    assert missing == []


def test_the_compiled_catalogue_is_the_current_one():
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(LOCALE / "django.mo"))
        if e.msgid
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue().translated_entries()
        if not e.obsolete
    }
    assert compiled == source
