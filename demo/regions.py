"""Counties and provinces for the demo data: GB/T 2260 codes, from stdnum's table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb

# Taiwan, Hong Kong and Macau issue no USCCs or resident ID numbers of this form.
_NO_CODES = {"71", "81", "82"}
_GENERIC_COUNTY_NAMES = {
    "市辖区",
    "县",
    "市区",
    "郊区",
    "矿区",
    "省直辖县级行政单位",
    "省直辖行政单位",
    "自治区直辖县级行政单位",
}
_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
}
# Province abbreviations used in document numbers (京市监罚〔2025〕123号).
PROVINCE_ABBR = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "黔",
    "53": "滇",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
}


@dataclass(frozen=True, slots=True)
class County:
    code: str  # 6 digits
    name: str  # 南山区
    city: str  # 深圳市; the province's name for municipalities and directly administered areas
    province: str  # 广东省
    since: int  # first year the current code/name is valid (0: always), for ID birth years

    @property
    def city_short(self) -> str:
        """深圳市 -> 深圳, 北京市 -> 北京 (the usual prefix of enterprise names)."""
        if self.city.endswith("市"):
            return self.city[:-1]
        return province_short(self.province)


def province_short(province: str) -> str:
    if province in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[province]
    return province.removesuffix("省").removesuffix("市")


def _current(value: str) -> tuple[str, int] | None:
    """The current name of a table entry and the year it took effect; None when abolished.

    '[1983-1989]南头区办事处,[1990-]南山区' -> ('南山区', 1990); '[-2010]崇文区' -> None.
    """
    last = value.split(",")[-1]
    if not last.startswith("["):
        return last, 0
    span, name = last[1:].split("]", 1)
    start, end = span.split("-")
    if end:
        return None
    return name, int(start) if start else 0


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    """Current county-level codes (districts, counties, county-level cities, banners)."""
    result: list[County] = []
    for _len, low, high, props, children in numdb.get("cn/loc").prefixes:
        if low != high or low in _NO_CODES:
            continue
        province = props.get("province", "")
        cities: dict[str, str] = {}
        for _l, clow, _chigh, cprops, _c in children:
            if clow.endswith("00"):
                current = _current(cprops.get("county", ""))
                if current and current[0].endswith(("市", "州", "盟", "地区")):
                    cities[clow[:2]] = current[0]
        for _l, clow, chigh, cprops, _c in children:
            if clow != chigh or clow.endswith("00"):
                continue
            current = _current(cprops.get("county", ""))
            if current is None:
                continue
            name, since = current
            if name in _GENERIC_COUNTY_NAMES or not name.endswith(("区", "县", "市", "旗")):
                continue
            result.append(
                County(
                    code=low + clow,
                    name=name,
                    city=cities.get(clow[:2], province),
                    province=province,
                    since=since,
                )
            )
    return tuple(result)


@lru_cache(maxsize=1)
def county_by_code() -> dict[str, County]:
    return {county.code: county for county in counties()}
