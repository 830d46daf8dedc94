"""Unified social credit codes (GB 32100-2015).

Built on ``stdnum.cn.uscc``, which accepts only digits in positions 1-8. GB 32100 also uses
letters for the registration authority (position 1: ``A`` military reform office, ``N``
agriculture, ``Y`` other authorities), so codes with such a letter are checked here with
stdnum's own check-character routine.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

from credit_portal.errors import DomainError, NotFound

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
# Position 1: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管,
# A 中央军委改革和编制办公室, N 农业, Y 其他.
AUTHORITIES = "123456789ANY"
_SEPARATORS = " -_\u3000\t"


class InvalidUSCC(DomainError):
    code = "invalid_uscc"
    # Shared by every form with a USCC: ``credit_portal.web.add_domain_error`` shows it there.
    form_field = "uscc"


class UnknownEntity(NotFound):
    """No market entity has this (well-formed) USCC; shown next to a form's USCC field too."""

    code = "entity_not_found"
    form_field = "uscc"


def normalise(raw: str) -> str:
    """Full-width to half-width, drop spaces and hyphens, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if ch not in _SEPARATORS).upper()


def validate(raw: str) -> str:
    """Return the normalised code or raise ``InvalidUSCC`` saying what is wrong."""
    code = normalise(raw)
    if not code:
        raise InvalidUSCC(
            _("请输入统一社会信用代码。/ Enter a unified social credit code."), code="uscc_empty"
        )
    if len(code) != 18:
        raise InvalidUSCC(
            _(
                "统一社会信用代码应为18位，输入为%(n)d位。"
                "/ A USCC has 18 characters; this has %(n)d."
            )
            % {"n": len(code)},
            code="uscc_length",
        )
    for pos, ch in enumerate(code, start=1):
        if pos == 1:
            ok = ch in AUTHORITIES
        elif pos <= 8 and pos != 2:
            ok = ch.isdigit()
        else:
            ok = ch in ALPHABET
        if not ok:
            raise InvalidUSCC(
                _(
                    "第%(pos)d位字符“%(ch)s”不合法%(hint)s。/ Character %(pos)d (“%(ch)s”) is not "
                    "allowed%(hint_en)s."
                )
                % {"pos": pos, "ch": ch, **_position_hint(pos)},
                code="uscc_character",
            )
    expected = stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(
            _(
                "校验码错误：第18位应为“%(exp)s”，输入为“%(got)s”。/ Wrong check character: "
                "position 18 should be “%(exp)s”, not “%(got)s”."
            )
            % {"exp": expected, "got": code[17]},
            code="uscc_checksum",
        )
    if code[0].isdigit() and code[1].isdigit():
        try:  # digits-only authority and type: stdnum's own validation agrees
            stdnum_uscc.validate(code)
        except StdnumError as exc:  # pragma: no cover - the checks above are stricter
            raise InvalidUSCC(str(exc)) from exc
    return code


def _position_hint(pos: int) -> dict[str, str]:
    if pos == 1:
        return {
            "hint": "（登记管理部门码应为1-9、A、N或Y）",
            "hint_en": " (registration authority must be 1-9, A, N or Y)",
        }
    if 3 <= pos <= 8:
        return {
            "hint": "（第3-8位为行政区划码，应为数字）",
            "hint_en": " (positions 3-8 are the region code and must be digits)",
        }
    return {"hint": "（不得使用I、O、S、V、Z）", "hint_en": " (I, O, S, V and Z are never used)"}


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except InvalidUSCC:
        return False
    return True


def with_check_character(first17: str) -> str:
    """Complete a 17-character body with its check character (demo data, tests)."""
    return first17 + stdnum_uscc.calc_check_digit(first17)


@dataclass(frozen=True)
class Region:
    code: str
    province: str
    name: str

    @property
    def province_code(self) -> str:
        return self.code[:2]


@lru_cache(maxsize=8192)
def region(code6: str) -> Region:
    """The GB/T 2260 region of a 6-digit code (USCC positions 3-8), from stdnum's table."""
    province = name = ""
    for _part, info in numdb.get("cn/loc").info(code6):
        if "province" in info:
            province = info["province"]
        if "county" in info:
            name = _latest_name(info["county"])
    return Region(code=code6, province=province, name=name or province)


def _latest_name(value: str) -> str:
    """'[1983-1989]南头区办事处,[1990-]南山区' -> '南山区'."""
    last = value.split(",")[-1]
    return last.split("]")[-1]


def region_of(uscc: str) -> str:
    return uscc[2:8]
