"""Chinese entity names for search: generic suffixes carry no information
(docs/architecture.md §6)."""

from __future__ import annotations

import re
import unicodedata

SEARCH_LIMIT = 200  # a search page ranks at most this many; more means "be more specific"

# Longest first, so 股份有限公司 goes before 有限公司.
GENERIC_SUFFIXES = sorted(
    [
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团公司",
        "总公司",
        "分公司",
        "公司",
        "个体工商户",
        "专业合作社",
        "合作社",
        "合伙企业",
        "个人独资企业",
        "工作室",
        "经营部",
        "有限合伙",
        "普通合伙",
        "分店",
        "门市部",
        "商行",
        "集团",
    ],
    key=len,
    reverse=True,
)
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split()).lower()


def strip_generic(name: str) -> str:
    """'北京华信科技（集团）有限公司' -> '北京华信科技'; never strips a name to nothing."""
    text = _BRACKETS.sub("", normalise(name))
    changed = True
    while changed:
        changed = False
        for suffix in GENERIC_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text or normalise(name)


def is_generic(name: str) -> bool:
    """True when a name is nothing but generic words ('有限公司'): useless as a query."""
    text = _BRACKETS.sub("", normalise(name))
    while text:
        suffix = next((s for s in GENERIC_SUFFIXES if text.endswith(s)), None)
        if suffix is None:
            return False
        text = text[: -len(suffix)]
    return True


def search_text(name: str, former_names: list[str]) -> str:
    seen: list[str] = []
    for n in [name, *former_names]:
        core = strip_generic(n)
        if core and core not in seen:
            seen.append(core)
    return " | ".join(seen)


def bigrams(text: str) -> list[str]:
    """Every two-character piece of ``text``, as the SQL function ``registry_bigrams`` (the
    name-search index, migration 0013) computes it: a substring of two or more characters
    contains all of its own, so the index finds every name that may contain it."""
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})
