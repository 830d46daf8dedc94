"""USCC validation (GB 32100-2015) through stdnum.cn.uscc with our wrapper."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc

from registry import uscc

VALID = "91110000600037341L"  # stdnum's own example


@pytest.mark.parametrize(
    "raw",
    [
        VALID,
        "91110000600037341l",  # lower case
        " 9111 0000 6000 3734 1L ",  # spaces
        "９１１１００００６０００３７３４１Ｌ",  # full-width
        "9111-0000-6000-3734-1L",  # hyphens
    ],
)
def test_valid_codes_are_normalised(raw):
    assert uscc.validate(raw) == VALID


@pytest.mark.parametrize("authority", ["Y", "A", "N"])
def test_registration_authority_letters_are_accepted(authority):
    """stdnum rejects a letter in position 1; GB 32100 uses A, N and Y."""
    code = uscc.with_check_character(authority + "1110105MA01ABCDE")
    assert not stdnum_uscc.is_valid(code)
    assert uscc.validate(code) == code


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "uscc_empty", "请输入"),
        ("91110000600037341", "uscc_length", "17"),
        ("91110000600037341LL", "uscc_length", "19"),
        ("B1110000600037341L", "uscc_character", "第1位"),
        ("911100006000373I1L", "uscc_character", "第16位"),
        ("91A10000600037341L", "uscc_character", "第3位"),
        ("91110000600037341X", "uscc_checksum", "“L”"),
    ],
)
def test_each_kind_of_bad_code_has_its_own_message(raw, code, fragment):
    with pytest.raises(uscc.InvalidUSCC) as exc:
        uscc.validate(raw)
    assert exc.value.code == code
    message = str(exc.value.message)
    assert fragment in message
    assert "/ " in message and any("a" <= c <= "z" for c in message)  # Chinese and English


def test_region_from_positions_3_to_8():
    region = uscc.region(uscc.region_of(uscc.with_check_character("91440305MA5DABCDE")))
    assert (region.province, region.name, region.province_code) == ("广东省", "南山区", "44")
