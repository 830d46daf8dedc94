"""Deterministic demo and synthetic data (ARCHITECTURE 3: bench/ holds the generator's profiles).

Two halves:

* ``generate()`` is pure: from (entities, seed, records and decisions per entity, as-of date,
  catalogue, publicity rules, working-day calendar) it yields the same market entities,
  persons, roles, credit records, administrative decisions and publicity windows every time,
  in chunks, without touching the database. USCCs carry GB 32100 check characters and
  kind-consistent authority/type codes; resident ID numbers carry GB 11643 check characters
  and region codes that were valid in the birth year; every code comes from stdnum's GB/T 2260
  table. Decisions (2025 to the as-of date) are left as the services and the clock jobs would
  leave them: published on time or late with their record and window, awaiting publication,
  flagged overdue with an alert, expired, or withdrawn with a revocation.
* ``demo_seed()`` loads them into an empty register: departments through the services,
  everything else with ``COPY`` in one transaction (ARCHITECTURE 6: COPY ran ~140k rows/s,
  per-row ORM saves are 25-45x slower), with foreign keys and plain indexes set aside during
  the copy and rebuilt/validated once at the end, guardian ownership rows included, and one
  job-level audit event instead of one per row.
* ``demo_users_ensure()`` creates the demo sign-ins (``manage.py demo_users``).

Measured figures: bench/README.md.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import io
import itertools
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from stdnum import numdb
from stdnum.cn import ric

from . import names
from .catalogue import DEFAULT_ITEMS
from .uscc import ALPHABET

TZ = ZoneInfo("Asia/Shanghai")
# A fixed "today" for the data keeps it identical run after run; the loader clamps it to the
# real today so no date is ever in the future.
DEMO_AS_OF = dt.date(2026, 10, 31)
RECORDS_FROM = dt.date(2022, 1, 1)
ESTABLISHED_FROM_YEAR = 1995
ESTABLISHED_TO_YEAR = 2025
MODERN_CODES_FROM = dt.date(2015, 10, 1)  # USCCs with "MA" organisation codes (GB 32100)

# --- regions (GB/T 2260, from stdnum) --------------------------------------------------------
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


# --- departments ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    code: str
    kind: str  # SAMR, TAX, ...
    name: str
    name_en: str
    region: str
    registers_entities: bool
    doc_abbr: str  # 京市监 in 京市监罚〔2025〕123号


# key, municipal name, provincial name, English, document abbreviation, registers entities
DEPARTMENT_KINDS: list[tuple[str, str, str, str, str, bool]] = [
    (
        "SAMR",
        "{p}市场监督管理局",
        "{p}市场监督管理局",
        "Administration for Market Regulation",
        "市监",
        True,
    ),
    ("TAX", "国家税务总局{p}税务局", "国家税务总局{p}税务局", "Tax Service", "税", False),
    ("MEE", "{p}生态环境局", "{p}生态环境厅", "Ecology and Environment", "环", False),
    (
        "HRSS",
        "{p}人力资源和社会保障局",
        "{p}人力资源和社会保障厅",
        "Human Resources and Social Security",
        "人社",
        False,
    ),
    ("MEM", "{p}应急管理局", "{p}应急管理厅", "Emergency Management", "应急", False),
    (
        "HURD",
        "{p}住房和城乡建设局",
        "{p}住房和城乡建设厅",
        "Housing and Urban-Rural Development",
        "建",
        False,
    ),
    ("COURT", "{p}高级人民法院", "{p}高级人民法院", "High People's Court", "法", False),
    ("MOT", "{p}交通运输局", "{p}交通运输厅", "Transport", "交", False),
    ("NHC", "{p}卫生健康委员会", "{p}卫生健康委员会", "Health Commission", "卫健", False),
    ("MCT", "{p}文化和旅游局", "{p}文化和旅游厅", "Culture and Tourism", "文旅", False),
]
# Provinces whose departments the demo creates; its entities are registered there.
# code, name, English, municipality, share of entities
DEMO_REGIONS: list[tuple[str, str, str, bool, int]] = [
    ("110000", "北京市", "Beijing Municipal", True, 40),
    ("440000", "广东省", "Guangdong Provincial", False, 60),
]


def department_specs() -> list[DepartmentSpec]:
    specs = []
    for region, region_name, region_en, municipality, _share in DEMO_REGIONS:
        abbr = PROVINCE_ABBR[region[:2]]
        for key, municipal, provincial, english, doc, registers in DEPARTMENT_KINDS:
            template = municipal if municipality else provincial
            specs.append(
                DepartmentSpec(
                    code=f"{key}-{region}",
                    kind=key,
                    name=template.format(p=region_name),
                    name_en=f"{region_en} {english}",
                    region=region,
                    registers_entities=registers,
                    doc_abbr=abbr + doc,
                )
            )
    return specs


def department_code(kind: str, region: str) -> str:
    """The department of this kind in the province of a 6-digit region code."""
    return f"{kind}-{region[:2]}0000"


# --- words -----------------------------------------------------------------------------------
SURNAMES = (
    "王" * 14
    + "李" * 14
    + "张" * 13
    + "刘" * 10
    + "陈" * 9
    + "杨" * 6
    + "黄" * 5
    + "赵" * 5
    + "吴" * 4
    + "周" * 4
    + "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文博晨昊峰"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美娇红玲桂丹萍婷雪琳颖倩莉晶燕洁佳欣怡梅兰琴蕾薇瑶雯"
BRAND_CHARS = (
    "华信达恒鑫盛泰隆源宏瑞嘉德联通创新海天中安康博远金星辰锦绿益众诚和力君峰润丰祥福兴旺佳美"
    "明智慧优卓越正弘汇聚合永久长青云蓝腾飞亿万宇航致臻睿思凯旭晟昊昌荣洲邦拓启迪领尚品方圆"
)
ROADS = "建设人民解放中山和平新华科技创业滨河文化学府长安东风迎宾光明幸福团结振兴胜利朝阳青年"
SUFFIXES = [("有限公司", 70), ("有限责任公司", 18), ("股份有限公司", 8), ("集团有限公司", 4)]

# Enterprise industries: name word, GB/T 4754-2017 class, weight, departments that license or
# supervise it (besides market regulation, tax and human resources, which see everyone).
ENTERPRISE_INDUSTRIES: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("科技", "I6513", 12, ()),
    ("信息技术", "I6531", 6, ()),
    ("网络科技", "I6513", 7, ()),
    ("软件", "I6513", 3, ()),
    ("电子科技", "C3990", 3, ("MEE", "MEM")),
    ("建筑工程", "E4790", 7, ("HURD", "MEM")),
    ("装饰工程", "E5012", 4, ("HURD", "MEM")),
    ("市政工程", "E4813", 2, ("HURD", "MEM", "MOT")),
    ("餐饮管理", "H6210", 6, ()),
    ("酒店管理", "H6110", 2, ("MCT", "NHC")),
    ("商贸", "F5219", 8, ()),
    ("贸易", "F5181", 5, ()),
    ("物流", "G5821", 5, ("MOT",)),
    ("运输", "G5431", 3, ("MOT", "MEM")),
    ("仓储", "G5920", 1, ("MEM",)),
    ("医药", "C2720", 2, ("MEE", "MEM", "NHC")),
    ("医药连锁", "F5251", 2, ("NHC",)),
    ("环保科技", "N7721", 3, ("MEE",)),
    ("环境工程", "N7722", 1, ("MEE",)),
    ("房地产开发", "K7010", 3, ("HURD",)),
    ("物业管理", "K7020", 3, ("HURD",)),
    ("投资管理", "L7212", 3, ()),
    ("广告", "L7259", 2, ()),
    ("文化传播", "L7259", 3, ("MCT",)),
    ("国际旅行社", "L7271", 1, ("MCT",)),
    ("人力资源", "L7263", 2, ()),
    ("教育科技", "P8391", 2, ()),
    ("汽车服务", "O8111", 2, ("MOT", "MEE")),
    ("家政服务", "O8010", 1, ()),
    ("服装", "C1810", 2, ("MEE", "MEM")),
    ("机械设备", "C3499", 2, ("MEE", "MEM")),
    ("食品", "C1499", 2, ("MEE",)),
]
INDIVIDUAL_TRADES: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("小吃店", "H6291", 5, ()),
    ("餐馆", "H6210", 4, ()),
    ("便利店", "F5213", 4, ()),
    ("水果店", "F5223", 3, ()),
    ("五金店", "F5241", 2, ()),
    ("服装店", "F5232", 2, ()),
    ("理发店", "O8040", 3, ("NHC",)),
    ("汽车修理部", "O8111", 2, ("MOT", "MEE")),
    ("大药房", "F5251", 1, ("NHC",)),
]
COOPERATIVE_TRADES: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("蔬菜种植", "A0141", 4, ()),
    ("水果种植", "A0151", 3, ()),
    ("水稻种植", "A0111", 2, ()),
    ("花卉种植", "A0143", 1, ()),
    ("生猪养殖", "A0313", 2, ("MEE",)),
]
PUBLIC_INSTITUTIONS: list[tuple[str, str, int]] = [
    ("{county}人民医院", "Q8411", 1),
    ("{county}中医医院", "Q8412", 1),
    ("{county}第{n}中学", "P8334", 6),
    ("{county}第{n}小学", "P8321", 6),
    ("{county}{brand}幼儿园", "P8310", 4),
    ("{county}疾病预防控制中心", "Q8431", 1),
    ("{county}图书馆", "R8831", 1),
    ("{county}妇幼保健院", "Q8415", 1),
]
STATE_ORGAN_BUREAUS = (
    "人民政府办公室",
    "教育局",
    "民政局",
    "财政局",
    "农业农村局",
    "水务局",
    "统计局",
    "司法局",
    "商务局",
    "科学技术局",
    "审计局",
    "退役军人事务局",
)
INDUSTRY_WORDS_FOR_ASSOCIATIONS = (
    "软件",
    "建筑业",
    "餐饮",
    "物流",
    "医药",
    "环保",
    "旅游",
    "电子商务",
    "物业管理",
    "汽车流通",
    "食品",
    "广告",
)

# Entity kinds by USCC positions 1-2 (GB 32100: registration authority + organisation type).
# prefix, kind, weight
KIND_CODES: list[tuple[str, str, int]] = [
    ("91", "enterprise", 780),
    ("92", "individual", 120),
    ("93", "cooperative", 30),
    ("12", "public_institution", 25),
    ("11", "state_organ", 10),
    ("51", "social_org", 10),
    ("52", "social_org", 8),
    ("53", "social_org", 2),
    ("Y1", "social_org", 15),
]
KIND_BY_PREFIX = {prefix: kind for prefix, kind, _w in KIND_CODES}
MARKET_KINDS = {"enterprise", "individual", "cooperative"}

_ALL_KINDS = frozenset(
    {"enterprise", "individual", "cooperative", "public_institution", "state_organ", "social_org"}
)
_LICENSED_KINDS = frozenset(
    {"enterprise", "individual", "cooperative", "public_institution", "social_org"}
)
# Plain credit records (catalogue items that are not administrative decisions): catalogue item,
# weight, the kinds of entity it applies to.
RECORD_KINDS: list[tuple[str, int, frozenset[str]]] = [
    ("SF", 7, _ALL_KINDS),
    ("CN", 2, frozenset({"enterprise", "individual"})),
    ("YT", 3, frozenset({"enterprise"})),
    ("TS", 4, frozenset({"enterprise", "individual", "public_institution", "state_organ"})),
    ("ZY", 2, frozenset({"enterprise", "social_org"})),
    ("YC", 5, frozenset(MARKET_KINDS)),
    ("NS", 6, frozenset({"enterprise", "individual", "cooperative", "social_org"})),
    ("QS", 3, frozenset({"enterprise", "individual"})),
]
# Administrative decisions of the ten publicity kinds (35/15), by the catalogue item their
# published record gets (services.DECISION_CATALOGUE): mostly licences and penalties. Their
# records come only from decisions, so every penalty shown publicly has its decision.
DECISION_KINDS: list[tuple[str, int, frozenset[str]]] = [
    ("XK", 30, _LICENSED_KINDS),
    ("CF", 32, _LICENSED_KINDS),
    ("JC", 12, _ALL_KINDS),
    ("JL", 6, frozenset({"enterprise", "cooperative", "social_org"})),
    ("QZ", 4, frozenset(MARKET_KINDS)),
    ("QR", 4, frozenset({"enterprise", "public_institution", "state_organ"})),
    ("JF", 4, frozenset({"enterprise", "cooperative", "public_institution"})),
    ("ZS", 3, frozenset({"enterprise"})),
    ("CJ", 3, frozenset({"enterprise"})),
    ("BC", 3, frozenset({"enterprise", "individual"})),
]
DECISIONS_FROM = dt.date(2025, 1, 1)
# What became of a decision by the as-of date (issue 3: published on time, late, and not yet).
DECISION_OUTCOMES = [("on_time", 75), ("late", 12), ("pending", 8), ("withdrawn", 5)]
DECISION_CHANGES = [("revoked", 50), ("changed", 30), ("annulled", 20)]
# Serious penalties: the heavier measure next to the fine (Administrative Penalty Law, art. 9).
SERIOUS_PENALTIES = [
    ("restriction", "罚款{fine}元，并责令停产停业整顿", 60),
    ("suspension", "罚款{fine}元，并暂扣许可证件六个月", 25),
    ("revocation", "罚款{fine}元，并吊销许可证件", 15),
]
# The publicity rules' defaults (migration 0004), for the pure generator; the loader reads the
# rules administrators keep in the database.
DEFAULT_PUBLICITY_RULES = {
    "none": (True, None, None),
    "warning": (False, None, None),
    "minor": (True, 3, 3),
    "general": (True, 3, 12),
    "serious": (True, 12, 36),
}
# The hourly deadline job's first run after a due date, and the nightly window job's time.
NIGHTLY_JOB_MINUTES = 2 * 60

# Penalty grounds per department: conduct, law, article breached, article applied.
VIOLATIONS: dict[str, list[tuple[str, str, int, int]]] = {
    "SAMR": [
        ("发布虚假广告", "中华人民共和国广告法", 28, 55),
        ("经营超过保质期的食品", "中华人民共和国食品安全法", 34, 124),
        ("对商品作虚假或者引人误解的商业宣传", "中华人民共和国反不正当竞争法", 8, 20),
        ("不按规定明码标价", "中华人民共和国价格法", 13, 42),
        ("使用未经定期检验的特种设备", "中华人民共和国特种设备安全法", 40, 84),
        ("销售不合格产品", "中华人民共和国产品质量法", 39, 50),
    ],
    "TAX": [
        ("未按照规定期限办理纳税申报和报送纳税资料", "中华人民共和国税收征收管理法", 25, 62),
        ("未按照规定开具发票", "中华人民共和国发票管理办法", 19, 35),
        ("未按照规定设置、保管账簿", "中华人民共和国税收征收管理法", 19, 60),
    ],
    "MEE": [
        ("超过大气污染物排放标准排放大气污染物", "中华人民共和国大气污染防治法", 18, 99),
        ("未依法取得排污许可证排放污染物", "排污许可管理条例", 2, 33),
        ("未按照规定贮存危险废物", "中华人民共和国固体废物污染环境防治法", 81, 112),
    ],
    "HRSS": [
        ("未按时足额支付劳动者工资", "保障农民工工资支付条例", 15, 54),
        ("未依法为职工办理社会保险登记", "中华人民共和国社会保险法", 57, 84),
        ("违反规定延长劳动者工作时间", "中华人民共和国劳动法", 41, 90),
    ],
    "MEM": [
        ("未按照规定对从业人员进行安全生产教育和培训", "中华人民共和国安全生产法", 28, 97),
        ("未采取措施消除事故隐患", "中华人民共和国安全生产法", 41, 102),
        ("特种作业人员未取得相应资格上岗作业", "中华人民共和国安全生产法", 30, 97),
    ],
    "HURD": [
        ("未取得施工许可证擅自施工", "中华人民共和国建筑法", 7, 64),
        ("违反工程建设强制性标准", "建设工程质量管理条例", 28, 64),
        ("未按照规定办理竣工验收备案", "建设工程质量管理条例", 49, 56),
    ],
    "MOT": [
        ("车辆超限运输", "公路安全保护条例", 35, 64),
        ("未取得道路运输经营许可擅自从事道路运输经营", "中华人民共和国道路运输条例", 24, 63),
        ("未按照规定维护和检测运输车辆", "中华人民共和国道路运输条例", 30, 70),
    ],
    "NHC": [
        ("公共场所卫生质量不符合国家卫生标准", "公共场所卫生管理条例", 3, 14),
        ("使用非卫生技术人员从事医疗卫生技术工作", "医疗机构管理条例", 27, 47),
    ],
    "MCT": [
        ("未经许可经营旅行社业务", "中华人民共和国旅游法", 28, 95),
        ("未与旅游者签订书面旅游合同", "旅行社条例", 28, 55),
        ("未经批准举办营业性演出", "营业性演出管理条例", 13, 43),
    ],
}
# Licences per department: title, legal basis, the industries (GB/T 4754 prefixes) that need it.
LICENCES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "MEE": [
        ("排污许可证核发", "排污许可管理条例", ("C", "N", "A03", "O8111")),
        ("建设项目环境影响报告表审批", "中华人民共和国环境影响评价法", ("C", "N")),
    ],
    "HURD": [
        ("建筑业企业资质许可", "中华人民共和国建筑法", ("E",)),
        ("建筑工程施工许可", "中华人民共和国建筑法", ("E", "K7010")),
        ("房地产开发企业资质核定", "城市房地产开发经营管理条例", ("K7010",)),
    ],
    "MOT": [
        ("道路运输经营许可", "中华人民共和国道路运输条例", ("G54", "G58")),
        ("机动车维修经营备案", "中华人民共和国道路运输条例", ("O8111",)),
    ],
    "NHC": [
        ("公共场所卫生许可", "公共场所卫生管理条例", ("H61", "O80")),
        ("医疗机构执业许可", "医疗机构管理条例", ("Q84",)),
        ("药品经营质量管理规范认证", "中华人民共和国药品管理法", ("F5251",)),
    ],
    "MCT": [
        ("旅行社业务经营许可", "旅行社条例", ("L7271",)),
        ("营业性演出许可", "营业性演出管理条例", ("L7259", "R")),
    ],
    "MEM": [
        ("安全生产许可", "安全生产许可证条例", ("C", "E")),
        ("危险化学品经营许可", "危险化学品安全管理条例", ("C27", "F5181")),
    ],
    "HRSS": [
        ("劳务派遣经营许可", "中华人民共和国劳动合同法", ("L7263",)),
        ("人力资源服务许可", "人力资源市场暂行条例", ("L726",)),
    ],
}
INSPECTIONS: dict[str, str] = {
    "SAMR": "“双随机、一公开”抽查",
    "MEE": "污染源日常监督检查",
    "MEM": "安全生产执法检查",
    "HURD": "建设工程质量安全监督检查",
    "MOT": "道路运输企业监督检查",
    "NHC": "公共场所卫生监督检查",
    "MCT": "旅游市场执法检查",
    "HRSS": "劳动保障监察日常检查",
}
INSPECTION_RESULTS = [
    ("未发现问题", 60),
    ("发现问题，已责令改正", 30),
    ("发现问题，已立案调查", 6),
    ("未按规定公示信息，已责令改正", 4),
]
# Catalogue items that only one kind of department records.
FIXED_DEPARTMENTS = {
    "SF": "COURT",
    "NS": "TAX",
    "QS": "TAX",
    "ZS": "TAX",
    "YC": "SAMR",
    "ZY": "SAMR",
    "CJ": "SAMR",
    "CN": "SAMR",
    "JF": "HRSS",
    "QR": "HRSS",
    "BC": "HURD",
}
PENALTY_SEVERITIES = [("warning", 15), ("minor", 35), ("general", 35), ("serious", 15)]
TIER_SEVERITIES = [("minor", 45), ("general", 40), ("serious", 15)]


# --- generated rows --------------------------------------------------------------------------
@dataclass(slots=True)
class EntitySpec:
    uscc: str
    name: str
    former_names: list[str]
    kind: str
    region: str
    industry: str
    state_owned: bool
    status: str
    established: dt.date
    deregistered: dt.date | None
    address: str
    department: str  # code of the registering department


@dataclass(slots=True)
class PersonSpec:
    ordinal: int  # 0-based, over the whole run; roles refer to it
    name: str
    id_number: str


@dataclass(slots=True)
class RoleSpec:
    uscc: str
    person: int  # PersonSpec.ordinal
    kind: str
    since: dt.date
    until: dt.date | None = None


@dataclass(slots=True)
class RecordSpec:
    ordinal: int  # 0-based, over the whole run; corrections refer to it
    uscc: str
    catalogue: str  # CatalogueItem.code
    department: str  # Department.code
    scope: str
    severity: str
    title: str
    content: str
    document_number: str
    legal_basis: str
    conduct_date: dt.date | None
    decision_date: dt.date
    recorded_at: dt.datetime
    published_at: dt.datetime | None
    action: str = "original"
    supersedes: int | None = None
    reason: str = ""


@dataclass(slots=True)
class DecisionSpec:
    """An administrative decision and what became of it by the as-of date; the fields are the
    ones decision_record / decision_publish / decision_change write."""

    ordinal: int  # 0-based, over the whole run
    kind: str  # Decision.Kind
    catalogue: str  # the CatalogueItem.code of its record
    uscc: str
    department: str  # Department.code
    document_number: str
    decision_date: dt.date
    title: str
    content: str
    legal_basis: str
    severity: str
    penalty_type: str
    penalty_amount: int | None
    publicity_due: dt.date
    publicity_due_provisional: bool
    recorded_at: dt.datetime
    outcome: str  # on_time, late, awaiting, overdue, withdrawn (for the counts)
    status: str = "recorded"
    published_at: dt.datetime | None = None
    record: int | None = None  # RecordSpec.ordinal of the record its publication wrote
    # When the hourly deadline job found it unpublished past its due date: the created_at of
    # its department alert (the alert is the flag), resolved when the decision is published.
    flagged_at: dt.datetime | None = None
    change: str = ""
    change_reason: str = ""
    change_date: dt.date | None = None
    changed_at: dt.datetime | None = None
    withdrawal_due: dt.date | None = None
    withdrawn_at: dt.datetime | None = None


@dataclass(slots=True)
class WindowSpec:
    record: int  # RecordSpec.ordinal
    shown_from: dt.datetime
    restoration_from: dt.date | None
    restoration_open: bool
    shown_until: dt.date | None
    stopped_at: dt.datetime | None
    stop_reason: str


@dataclass(slots=True)
class _Body:
    """What a record or decision says: the generator's common part of both."""

    department: DepartmentSpec
    severity: str
    title: str
    content: str
    document_number: str
    legal_basis: str
    conduct_date: dt.date | None = None
    penalty_type: str = ""
    penalty_amount: int | None = None


@dataclass(slots=True)
class Chunk:
    entities: list[EntitySpec] = field(default_factory=list)
    persons: list[PersonSpec] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)
    records: list[RecordSpec] = field(default_factory=list)
    decisions: list[DecisionSpec] = field(default_factory=list)
    windows: list[WindowSpec] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CatalogueRule:
    scope: str
    severities: tuple[str, ...]


def default_catalogue() -> dict[str, CatalogueRule]:
    return {
        code: CatalogueRule(scope, tuple(severities))
        for code, _n, _e, _k, _p, severities, scope, _r, _b in DEFAULT_ITEMS
    }


def decisions_from(as_of: dt.date) -> dt.date:
    """Decisions run from 2025-01-01 (issue 3), or over the year before an earlier as-of date."""
    return min(DECISIONS_FROM, as_of - dt.timedelta(days=365))


@dataclass(frozen=True, slots=True)
class PublicityTerms:
    """One severity's PublicityRule: published at all, minimum and maximum months."""

    published: bool
    min_months: int | None
    max_months: int | None


@dataclass(frozen=True, slots=True)
class PublicityPolicy:
    """PublicityRule and PublicityConfig as plain data, so the generator stays pure."""

    rules: Mapping[str, PublicityTerms]
    publish_within: int = 7
    withdraw_within: int = 3


def default_publicity() -> PublicityPolicy:
    return PublicityPolicy(
        {severity: PublicityTerms(*terms) for severity, terms in DEFAULT_PUBLICITY_RULES.items()}
    )


@dataclass(slots=True)
class WorkingDays:
    """The official calendar as plain data, answered in memory: the same dates and provisional
    flags as credit_portal.calendar.add_working_days, without its two queries per call."""

    exceptions: Mapping[dt.date, bool]  # holidays (False) and make-up working days (True)
    published_years: frozenset[int]  # years whose holiday notice is loaded
    last: dt.date = dt.date.max  # the exceptions are known up to here
    gaps: set[int] = field(default_factory=set, compare=False)  # years answered provisionally
    _memo: dict[tuple[dt.date, int], tuple[dt.date, bool]] = field(
        default_factory=dict, compare=False
    )

    def is_working(self, day: dt.date) -> bool:
        working = self.exceptions.get(day)
        return day.weekday() < 5 if working is None else working

    def add(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """The ``days``-th working day after ``start`` (``days`` >= 0), and whether a year
        between them has no holiday notice (the answer is then provisional)."""
        key = (start, days)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        day, remaining = start, days
        while remaining:
            day += dt.timedelta(days=1)
            if day > self.last:
                raise ValueError(f"working days after {start}: calendar loaded up to {self.last}")
            if self.is_working(day):
                remaining -= 1
        unknown = [y for y in range(start.year, day.year + 1) if y not in self.published_years]
        self.gaps.update(unknown)
        self._memo[key] = (day, bool(unknown))
        return day, bool(unknown)

    def on_or_after(self, day: dt.date, last: dt.date) -> dt.date:
        """The first working day from ``day``, unless that is after ``last``."""
        moved = day
        while not self.is_working(moved) and moved < last:
            moved += dt.timedelta(days=1)
        return moved if self.is_working(moved) else day

    @classmethod
    def from_library(cls) -> WorkingDays:
        """From ``chinesecalendar``, as the calendar migration loads it (for the pure generator)."""
        import chinese_calendar

        days = dict.fromkeys(chinese_calendar.holidays, False)
        for day in chinese_calendar.workdays:
            if day.weekday() >= 5:  # a make-up working weekend day
                days[day] = True
        return cls(days, frozenset(day.year for day in days))

    @classmethod
    def from_database(cls, first: dt.date, last: dt.date) -> WorkingDays:
        """The official calendar as administrators keep it, loaded once for the range."""
        from credit_portal.calendar.selectors import WorkingCalendar

        calendar_ = WorkingCalendar(first, last)
        return cls(dict(calendar_.exceptions), frozenset(calendar_.published), last)


# --- small helpers ---------------------------------------------------------------------------
_USCC_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _with_check(first17: str) -> str:
    """GB 32100 check character, as stdnum computes it (the tests compare with registry.uscc)."""
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + ALPHABET[(31 - total) % 31]


def _org_check(body8: str) -> str:
    """GB 11714 check character of an organisation code body (USCC positions 9-16)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _weighted(items: list[tuple], at: int = -1) -> tuple[list, list[int]]:
    """Split (value..., weight) rows into values and weights for ``Random.choices``."""
    values = []
    for item in items:
        rest = item[:at] + item[at:][1:] if at != -1 else item[:-1]
        values.append(rest if len(rest) > 1 else rest[0])
    return values, [item[at] for item in items]


class _Rng(random.Random):
    """``random.Random`` with cheaper integer and choice draws (the generator makes millions).

    Still fully determined by the seed; the stock methods spend most of their time in
    rejection sampling we do not need for demo data.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


@dataclass(frozen=True, slots=True)
class _Table:
    """Values with precomputed cumulative weights, for fast weighted draws."""

    values: list
    cum: list[int]

    @classmethod
    def of(cls, values: list, weights: list[int]) -> _Table:
        return cls(list(values), list(itertools.accumulate(weights)))

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)


# --- the generator ---------------------------------------------------------------------------
class _Generator:
    def __init__(
        self,
        *,
        seed: int,
        records_per_entity: int,
        decisions_per_entity: float,
        as_of: dt.date,
        catalogue: Mapping[str, CatalogueRule],
        publicity: PublicityPolicy,
        calendar: WorkingDays,
        decision_catalogue: Mapping[str, str],
        add_months: Callable[[dt.date, int], dt.date],
    ):
        self.rng = _Rng(seed)
        self.records_per_entity = records_per_entity
        self.decisions_per_entity = decisions_per_entity
        self.as_of = as_of
        self.catalogue = catalogue
        self.publicity = publicity
        self.calendar = calendar
        # catalogue code -> Decision.kind (services.DECISION_CATALOGUE the other way round)
        self.decision_kind = {code: kind for kind, code in decision_catalogue.items()}
        self.add_months = add_months
        self.decisions_from = decisions_from(as_of)
        self.decision_count = 0
        self.usccs: set[str] = set()
        self.entity_names: set[str] = set()
        self.id_numbers: set[str] = set()
        self.person_count = 0
        self.record_count = 0
        self.doc_serials: dict[tuple[str, str, int], int] = {}
        all_counties = counties()
        self.all_counties = all_counties
        self.by_province: dict[str, list[County]] = {}
        for county in all_counties:
            self.by_province.setdefault(county.code[:2], []).append(county)
        # Urban districts register more businesses than rural counties.
        pools, shares = [], []
        for region, _name, _en, _m, share in DEMO_REGIONS:
            pool = self.by_province[region[:2]]
            weights = [
                3 if c.name.endswith("区") else 2 if c.name.endswith("市") else 1 for c in pool
            ]
            pools.append(_Table.of(pool, weights))
            shares.append(share)
        self.regions = _Table.of(pools, shares)
        self.kind_codes = _Table.of(*_weighted(KIND_CODES))
        self.enterprise_industries = _Table.of(*_weighted(ENTERPRISE_INDUSTRIES, at=2))
        self.individual_trades = _Table.of(*_weighted(INDIVIDUAL_TRADES, at=2))
        self.cooperative_trades = _Table.of(*_weighted(COOPERATIVE_TRADES, at=2))
        self.institutions = _Table.of(*_weighted(PUBLIC_INSTITUTIONS))
        self.suffixes = _Table.of(*_weighted(SUFFIXES))
        self.inspection_results = _Table.of(*_weighted(INSPECTION_RESULTS))
        self.record_kinds: dict[str, _Table | None] = {}
        for kind in sorted({k for _p, k, _w in KIND_CODES}):
            allowed = [
                (code, w) for code, w, kinds in RECORD_KINDS if kind in kinds and code in catalogue
            ]
            self.record_kinds[kind] = _Table.of(*_weighted(allowed)) if allowed else None
        self.decision_kinds: dict[str, _Table | None] = {}
        for kind in sorted({k for _p, k, _w in KIND_CODES}):
            allowed = [
                (code, w)
                for code, w, kinds in DECISION_KINDS
                if kind in kinds and code in catalogue and code in self.decision_kind
            ]
            self.decision_kinds[kind] = _Table.of(*_weighted(allowed)) if allowed else None
        self.outcomes = _Table.of(*_weighted(DECISION_OUTCOMES))
        self.changes = _Table.of(*_weighted(DECISION_CHANGES))
        self.serious_penalties = _Table.of(*_weighted(SERIOUS_PENALTIES))
        self.roads = [ROADS[i : i + 2] for i in range(0, len(ROADS), 2)]

    # -- codes and names --
    def brand(self) -> str:
        first, second = self.rng.sample(BRAND_CHARS, 2)
        return first + second

    def uscc(self, prefix: str, county: County, established: dt.date) -> str:
        rng = self.rng
        while True:
            if prefix[0] == "9" and established >= MODERN_CODES_FROM:
                body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
            elif prefix == "11":
                body = "0000" + f"{rng.randrange(10000):04d}"
            elif prefix == "12":
                body = "4000" + f"{rng.randrange(10000):04d}"
            elif prefix[0] == "5":
                body = "50" + f"{rng.randrange(1_000_000):06d}"
            else:
                body = f"{rng.randrange(10_000_000, 100_000_000)}"
            code = _with_check(prefix + county.code + body + _org_check(body))
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def unique_name(self, make: Callable[[], str]) -> str:
        for _attempt in range(50):
            name = make()
            if name not in self.entity_names:
                self.entity_names.add(name)
                return name
        # Dense corners (one county, one kind of school): number the rest.
        base = make()
        n = 2
        while f"{base}（{n}）" in self.entity_names:
            n += 1
        self.entity_names.add(f"{base}（{n}）")
        return f"{base}（{n}）"

    def enterprise_name(self, county: County, word: str, state_owned: bool) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.45:
            prefix = county.city_short + ("市" if county.city.endswith("市") else "")
        elif style < 0.75:
            prefix = county.city_short
        elif style < 0.85:
            prefix = province_short(county.province)
        else:
            prefix = ""
        suffix = self.suffixes.pick(rng)
        if state_owned:
            return f"{county.city_short}{self.brand()}{word}集团有限公司"
        if not prefix:  # 华信达（深圳）科技有限公司 style
            return f"{self.brand()}（{county.city_short}）{word}{suffix}"
        return f"{prefix}{self.brand()}{word}{suffix}"

    # -- entities --
    def entity(self) -> tuple[EntitySpec, tuple[str, ...]]:
        rng = self.rng
        prefix, kind = self.kind_codes.pick(rng)
        county = self.regions.pick(rng).pick(rng)
        # More entities were founded recently: skew the year towards the end of the range.
        year = ESTABLISHED_FROM_YEAR + int(
            (ESTABLISHED_TO_YEAR - ESTABLISHED_FROM_YEAR + 1) * rng.random() ** 0.6
        )
        year = min(year, ESTABLISHED_TO_YEAR)
        month = rng.randint(1, 12)
        established = min(
            dt.date(year, month, rng.randint(1, _days_in(year, month))),
            self.as_of - dt.timedelta(days=60),
        )
        former: list[str] = []
        state_owned = False
        depts: tuple[str, ...] = ()
        if kind == "enterprise":
            word, industry, depts = self.enterprise_industries.pick(rng)
            state_owned = rng.random() < 0.03
            name = self.unique_name(lambda: self.enterprise_name(county, word, state_owned))
            if not state_owned and rng.random() < 0.09:
                for _ in range(2 if rng.random() < 0.12 else 1):
                    old_word = rng.choice(self.enterprise_industries.values)[0]
                    former.append(
                        self.unique_name(lambda w=old_word: self.enterprise_name(county, w, False))
                    )
        elif kind == "individual":
            word, industry, depts = self.individual_trades.pick(rng)

            def individual() -> str:
                place = county.name
                if rng.random() < 0.3 and county.city != county.province:
                    place = county.city + county.name
                owner = rng.choice(SURNAMES) + "记" if rng.random() < 0.5 else self.brand()
                return f"{place}{owner}{word}"

            name = self.unique_name(individual)
        elif kind == "cooperative":
            word, industry, depts = self.cooperative_trades.pick(rng)
            name = self.unique_name(
                lambda: (
                    f"{county.name}{self.brand()}{word}"
                    f"{'农民' if rng.random() < 0.4 else ''}专业合作社"
                )
            )
        elif kind == "public_institution":
            template, industry = self.institutions.pick(rng)
            name = self.unique_name(
                lambda: template.format(
                    county=county.name,
                    n="一二三四五六七八九十"[rng.randrange(10)],
                    brand=self.brand(),
                )
            )
            depts = ("NHC",) if industry.startswith("Q") else ()
        elif kind == "state_organ":
            industry = "S9224"

            def organ() -> str:
                if rng.random() < 0.6:
                    return (
                        f"{county.city if county.city != county.province else ''}"
                        f"{county.name}{rng.choice(STATE_ORGAN_BUREAUS)}"
                    )
                return f"{county.name}人民政府{rng.choice(self.roads)}街道办事处"

            name = self.unique_name(organ)
        else:  # social organisations
            city = county.city if county.city.endswith("市") else county.province
            if prefix == "51":
                industry = "S9522"
                name = self.unique_name(
                    lambda: f"{city}{rng.choice(INDUSTRY_WORDS_FOR_ASSOCIATIONS)}行业协会"
                )
            elif prefix == "52":
                template, industry = rng.choice(
                    [
                        ("{c}{b}职业技能培训学校", "P8391"),
                        ("{c}{b}养老院", "Q8514"),
                        ("{c}{b}社会工作服务中心", "Q8521"),
                    ]
                )
                name = self.unique_name(lambda: template.format(c=city, b=self.brand()))
            elif prefix == "53":
                industry = "S9530"
                name = self.unique_name(
                    lambda: (
                        f"{province_short(county.province)}{self.brand()}"
                        f"{rng.choice(['慈善', '教育', '公益'])}基金会"
                    )
                )
            else:
                industry = "S9521"
                name = self.unique_name(
                    lambda: (
                        f"{city}{rng.choice(INDUSTRY_WORDS_FOR_ASSOCIATIONS)}"
                        f"{rng.choice(['商会', '促进会', '联合会'])}"
                    )
                )
        status = "active"
        deregistered = None
        if kind in MARKET_KINDS:
            roll = rng.random()
            if roll < 0.04 and (self.as_of - established).days > 400:
                status = "deregistered"
                deregistered = established + dt.timedelta(
                    days=rng.randint(365, (self.as_of - established).days)
                )
            elif roll < 0.05:
                status = "revoked"
        road = rng.choice(self.roads)
        address = (
            f"{county.province if county.city == county.province else county.city}"
            f"{county.name}{road}路{rng.randint(1, 999)}号"
        )
        if kind in ("enterprise", "social_org") and rng.random() < 0.5:
            address += f"{rng.randint(1, 30)}层{rng.randint(1, 30):02d}室"
        entity = EntitySpec(
            uscc=self.uscc(prefix, county, established),
            name=name,
            former_names=former,
            kind=kind,
            region=county.code,
            industry=industry,
            state_owned=state_owned,
            status=status,
            established=established,
            deregistered=deregistered,
            address=address,
            department=department_code("SAMR", county.code),
        )
        return entity, depts

    # -- persons --
    def person(self, chunk: Chunk, *, home: str, born_by: int) -> int:
        rng = self.rng
        born_by = max(1950, min(2000, born_by))
        while True:
            pool = self.by_province[home] if rng.random() < 0.75 else self.all_counties
            county = rng.choice(pool)
            year = rng.randint(1950, born_by)
            if county.since > year:
                continue  # this code did not exist yet in that year
            month = rng.randint(1, 12)
            day = rng.randint(1, _days_in(year, month))
            male = rng.random() < 0.62
            serial = rng.randrange(1, 500) * 2 - (1 if male else 0)  # odd: male, even: female
            body = f"{county.code}{year:04d}{month:02d}{day:02d}{serial:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number in self.id_numbers:
                continue
            self.id_numbers.add(number)
            given_chars = GIVEN_MALE if male else GIVEN_FEMALE
            given = rng.choice(given_chars)
            if rng.random() < 0.7:
                given += rng.choice(given_chars)
            ordinal = self.person_count
            self.person_count += 1
            chunk.persons.append(
                PersonSpec(ordinal=ordinal, name=rng.choice(SURNAMES) + given, id_number=number)
            )
            return ordinal

    def any_person(self, chunk: Chunk, *, home: str, born_by: int) -> int:
        """Mostly a new person; sometimes one who already holds a role elsewhere."""
        if self.person_count and self.rng.random() < 0.05:
            return self.rng.randrange(self.person_count)
        return self.person(chunk, home=home, born_by=born_by)

    def roles(self, chunk: Chunk, entity: EntitySpec) -> None:
        rng = self.rng
        home = entity.region[:2]
        born_by = entity.established.year - 22
        legal = self.any_person(chunk, home=home, born_by=born_by)
        since = entity.established
        if (self.as_of - entity.established).days > 800 and rng.random() < 0.15:
            change = entity.established + dt.timedelta(
                days=rng.randint(365, (self.as_of - entity.established).days - 1)
            )
            if entity.deregistered is None or change < entity.deregistered:
                chunk.roles.append(
                    RoleSpec(entity.uscc, legal, "legal_representative", entity.established, change)
                )
                legal = self.any_person(chunk, home=home, born_by=change.year - 22)
                since = change
        chunk.roles.append(RoleSpec(entity.uscc, legal, "legal_representative", since))
        if entity.kind == "enterprise" and rng.random() < 0.35:
            controller = (
                legal if rng.random() < 0.3 else self.any_person(chunk, home=home, born_by=born_by)
            )
            chunk.roles.append(
                RoleSpec(entity.uscc, controller, "actual_controller", entity.established)
            )
        elif entity.kind not in MARKET_KINDS and rng.random() < 0.4:
            principal = self.any_person(chunk, home=home, born_by=born_by)
            if principal != legal:
                chunk.roles.append(RoleSpec(entity.uscc, principal, "principal", since))

    # -- records --
    def severity(self, code: str, weights: list[tuple[str, int]]) -> str:
        allowed = self.catalogue[code].severities or ("none",)
        candidates = [(s, w) for s, w in weights if s in allowed] or [(s, 1) for s in allowed]
        return self.rng.choices([s for s, _w in candidates], [w for _s, w in candidates])[0]

    def scope(self, code: str, severity: str) -> str:
        scope = self.catalogue[code].scope
        # Warnings are never published (ARCHITECTURE 5): shared between departments at most.
        return "shared" if severity == "warning" and scope == "public" else scope

    def doc_number(self, dept: DepartmentSpec, kind: str, year: int) -> str:
        key = (dept.code, kind, year)
        serial = self.doc_serials.get(key, 0) + self.rng.randint(1, 3)
        self.doc_serials[key] = serial
        return f"{dept.doc_abbr}{kind}〔{year}〕{serial}号"

    def court_number(self, entity: EntitySpec, kind: str, year: int) -> str:
        key = (entity.region, kind, year)
        serial = self.doc_serials.get(key, 0) + self.rng.randint(1, 9)
        self.doc_serials[key] = serial
        return f"（{year}）{PROVINCE_ABBR[entity.region[:2]]}{entity.region[2:]}{kind}{serial}号"

    def amount(self, severity: str) -> int:
        low, high, step = {
            "warning": (0, 0, 1),
            "minor": (500, 5_000, 100),
            "general": (5_000, 100_000, 1_000),
            "serious": (100_000, 2_000_000, 10_000),
        }.get(severity, (1_000, 50_000, 100))
        return self.rng.randint(low // step, high // step) * step

    def department_for(self, code: str, depts: tuple[str, ...]) -> str:
        rng = self.rng
        if code in FIXED_DEPARTMENTS:
            return FIXED_DEPARTMENTS[code]
        if code == "XK":
            return rng.choice(depts) if depts and rng.random() < 0.7 else "SAMR"
        if code == "QZ":
            return rng.choice(["SAMR", "SAMR", "TAX"] + (["MEE"] if "MEE" in depts else []))
        if code == "JL":
            return rng.choice(["SAMR", "SAMR", "HRSS", *depts])
        if code == "TS":
            return rng.choice(["SAMR", "SAMR", "HRSS"])
        if code == "JC":
            return rng.choice(["SAMR", "SAMR", "HRSS", *depts, *depts])
        # CF and YT: the industry's regulators most, everyone's regulators sometimes.
        return rng.choice(
            ["SAMR", "TAX", "HRSS", *depts, *depts, *depts]
            if code == "CF"
            else ["SAMR", *depts, *depts]
        )

    def body(
        self,
        entity: EntitySpec,
        depts: tuple[str, ...],
        code: str,
        departments: Mapping[str, DepartmentSpec],
        decision: dt.date,
        forced: tuple[str, str] | None = None,
    ) -> _Body:
        """What a record or decision of this catalogue item says, decided on ``decision``."""
        rng = self.rng
        dept_kind = self.department_for(code, depts) if forced is None else forced[0]
        if dept_kind == "TAX" and code in ("CF", "JC") and entity.kind not in MARKET_KINDS:
            dept_kind = "SAMR"
        dept = departments[department_code(dept_kind, entity.region)]
        year = decision.year
        who = f"{entity.name}（统一社会信用代码：{entity.uscc}）"
        conduct: dt.date | None = None
        doc = basis = penalty_type = ""
        severity = "none"
        amount: int | None = None
        if code == "CF":
            severity = self.severity(code, PENALTY_SEVERITIES)
            if forced is not None:
                severity = forced[1]
                conduct_text, law, breached, applied = (
                    "未依法办理年度报告且拒不改正",
                    "中华人民共和国市场主体登记管理条例",
                    24,
                    46,
                )
                result, penalty_type = "吊销营业执照", "revocation"
            else:
                conduct_text, law, breached, applied = rng.choice(
                    VIOLATIONS.get(dept_kind) or VIOLATIONS["SAMR"]
                )
                fine = self.amount(severity)
                penalty_type, amount = "fine", fine
                if severity == "warning":
                    result, penalty_type, amount = "给予警告", "warning", None
                elif severity == "minor":
                    result = f"给予警告，并处罚款{fine}元"
                elif severity == "general":
                    result, amount = f"罚款{fine}元，没收违法所得{fine // 5}元", fine + fine // 5
                elif severity == "serious":
                    penalty_type, template = self.serious_penalties.pick(rng)
                    result = template.format(fine=fine)
                else:  # an edited catalogue without tiers
                    result = f"罚款{fine}元"
            title = f"行政处罚：{conduct_text}"
            content = (
                f"当事人{who}{conduct_text}，违反了《{law}》第{breached}条的规定。"
                f"依据《{law}》第{applied}条，决定{result}。"
            )
            basis = f"《{law}》第{applied}条"
            doc = self.doc_number(dept, "罚", year)
            conduct = decision - dt.timedelta(days=rng.randint(10, 120))
        elif code == "XK":
            fitting = [
                (t, law)
                for t, law, industries in LICENCES.get(dept_kind, [])
                if entity.industry.startswith(industries)
            ]
            if fitting:
                title, law = rng.choice(fitting)
            else:  # market regulation: registration, food and product licences
                dept = departments[department_code("SAMR", entity.region)]
                if entity.kind not in MARKET_KINDS:
                    title, law = "特种设备使用登记", "中华人民共和国特种设备安全法"
                elif entity.industry[0] == "H" or entity.industry in ("F5213", "F5223", "F5219"):
                    title, law = "食品经营许可", "中华人民共和国食品安全法"
                elif entity.industry.startswith("C14"):
                    title, law = "食品生产许可", "中华人民共和国食品安全法"
                elif entity.industry[0] == "C":
                    title, law = "工业产品生产许可", "中华人民共和国工业产品生产许可证管理条例"
                else:
                    title, law = "市场主体变更登记", "中华人民共和国市场主体登记管理条例"
            if title.endswith("登记"):
                content = f"准予{who}办理{title}。"
            else:
                valid_to = dt.date(year + 5, decision.month, min(decision.day, 28))
                content = (
                    f"准予{who}{title}。许可证编号：{entity.region}{year}"
                    f"{rng.randrange(100000):05d}；有效期至{valid_to.isoformat()}。"
                )
            basis = f"《{law}》"
            doc = self.doc_number(dept, "许", year)
        elif code == "QZ":
            severity = self.severity(code, TIER_SEVERITIES)
            title, law = {
                "SAMR": ("查封、扣押涉嫌违法的财物", "中华人民共和国行政强制法"),
                "MEE": ("查封排放污染物的设施、设备", "中华人民共和国环境保护法"),
                "TAX": ("税收强制执行：扣缴存款", "中华人民共和国税收征收管理法"),
            }.get(dept_kind, ("查封、扣押涉嫌违法的财物", "中华人民共和国行政强制法"))
            content = f"对{who}采取行政强制措施：{title}，涉及金额{self.amount(severity)}元。"
            basis = f"《{law}》"
            doc = self.doc_number(dept, "强", year)
            conduct = decision - dt.timedelta(days=rng.randint(1, 30))
        elif code == "QR":
            title = "工伤认定：认定为工伤"
            content = (
                f"经调查核实，{who}职工在工作时间和工作场所内因工作原因受到事故伤害，认定为工伤。"
            )
            basis = "《工伤保险条例》第十四条"
            doc = self.doc_number(dept, "工伤认", year)
        elif code == "ZS":
            fee = rng.randint(10, 500) * 100
            title = f"征收残疾人就业保障金{fee}元"
            content = f"依法向{who}征收{year - 1}年度残疾人就业保障金{fee}元。"
            basis = "《残疾人就业保障金征收使用管理办法》"
            doc = self.doc_number(dept, "征", year)
        elif code == "JF":
            grant = rng.randint(5, 300) * 100
            title = rng.choice(
                ["发放失业保险稳岗返还资金", "发放一次性扩岗补助", "发放职业培训补贴"]
            )
            content = f"向{who}{title}{grant}元。"
            title = f"{title}{grant}元"
            basis = "《失业保险条例》"
            doc = self.doc_number(dept, "给", year)
        elif code == "CJ":
            title = "专利侵权纠纷行政裁决"
            content = f"{who}与请求人专利侵权纠纷一案，裁决被请求人立即停止侵权行为。"
            basis = "《中华人民共和国专利法》第六十五条"
            doc = self.doc_number(dept, "裁", year)
        elif code == "BC":
            sum_ = rng.randint(50, 5000) * 1000
            title = f"国有土地上房屋征收补偿{sum_}元"
            content = f"因公共利益需要征收{who}使用的房屋，依法给予补偿{sum_}元。"
            basis = "《国有土地上房屋征收与补偿条例》"
            doc = self.doc_number(dept, "补", year)
        elif code == "JL":
            title = {
                "SAMR": f"{year - 1}年度“守合同重信用”企业",
                "HRSS": f"{year - 1}年度和谐劳动关系示范单位",
                "MEE": f"{year - 1}年度环保诚信企业",
                "MEM": f"{year - 1}年度安全生产先进单位",
                "MCT": f"{year - 1}年度文明旅游示范单位",
            }.get(dept_kind, f"{year - 1}年度诚信示范单位")
            content = f"认定{who}为{title}。"
            basis = "《国务院关于建立完善守信联合激励和失信联合惩戒制度的通知》（国发〔2016〕33号）"
            doc = self.doc_number(dept, "奖", year)
        elif code == "JC":
            outcome = self.inspection_results.pick(rng)
            title = f"{INSPECTIONS.get(dept_kind, '日常监督检查')}：{outcome}"
            content = (
                f"{dept.name}对{who}开展{INSPECTIONS.get(dept_kind, '日常监督检查')}，"
                f"检查结果：{outcome}。"
            )
            basis = "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》"
            doc = self.doc_number(dept, "检", year)
        elif code == "SF":
            severity = self.severity(code, TIER_SEVERITIES)
            court = self.court_name(entity)
            stake = self.amount("serious" if severity == "serious" else "general")
            title, kind = {
                "serious": ("失信被执行人", "执"),
                "general": ("限制消费令", "执"),
                "minor": ("民事判决：买卖合同纠纷", "民初"),
            }.get(severity, ("被执行人", "执"))
            doc = self.court_number(entity, kind, year)
            content = {
                "serious": f"{who}未履行生效法律文书确定的给付义务，被{court}纳入失信被执行人名单，"
                f"执行标的{stake}元。",
                "general": f"因{who}未按执行通知书履行义务，{court}依法对其采取限制消费措施，"
                f"执行标的{stake}元。",
            }.get(severity, f"{court}判决{who}支付货款{stake // 10}元。")
            basis = (
                "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
                if severity != "minor"
                else "《中华人民共和国民事诉讼法》"
            )
            conduct = decision - dt.timedelta(days=rng.randint(30, 365))
        elif code == "CN":
            severity = self.severity(code, [("minor", 60), ("general", 40)])
            title = "告知承诺履约核查：未按承诺期限补正材料"
            content = (
                f"{who}以告知承诺方式取得许可后，未在承诺期限内补正材料，经核查不符合承诺条件。"
            )
            basis = "国办发〔2019〕35号 第一条"
            conduct = decision - dt.timedelta(days=rng.randint(30, 90))
        elif code == "YT":
            title = {
                "MEM": "安全生产警示约谈",
                "MEE": "生态环境问题约谈",
                "HRSS": "欠薪问题约谈",
                "HURD": "工程质量安全约谈",
            }.get(dept_kind, "行政提示约谈")
            content = f"{dept.name}约谈{who}法定代表人，责令限期整改。"
            basis = "国办发〔2019〕35号 第十条"
        elif code == "TS":
            title = (
                rng.choice(
                    ["消费者投诉：商品质量问题", "消费者投诉：预付卡退费纠纷", "举报：涉嫌虚假宣传"]
                )
                if dept_kind == "SAMR"
                else "劳动保障监察举报：拖欠工资"
            )
            content = (
                f"涉及{who}的投诉举报已受理，处理结果："
                f"{rng.choice(['调解成功', '经核查不属实', '已责令改正', '已立案调查'])}。"
            )
        elif code == "ZY":
            title = rng.choice(
                [
                    f"自愿注册：{year - 1}年度企业社会责任报告",
                    "自愿注册：ISO 9001质量管理体系认证证书",
                    "自愿注册：信用承诺书",
                ]
            )
            content = f"{who}自愿注册并经核验的信用信息：{title.split('：', 1)[1]}。"
        elif code == "YC":
            reason = rng.choice(
                [
                    "未依照规定期限公示年度报告",
                    "通过登记的住所或者经营场所无法联系",
                    "未在责令的期限内公示有关企业信息",
                ]
            )
            title = f"列入经营异常名录：{reason}"
            content = f"经查，{who}{reason}，依法列入经营异常名录。"
            basis = "《企业信息公示暂行条例》"
            doc = self.doc_number(dept, "异", year)
        elif code == "NS":
            evaluated = year - 1  # published each April for the year before
            grade = rng.choices("ABMCD", [30, 40, 15, 10, 5])[0]
            title = f"{evaluated}年度纳税信用等级评价：{grade}级"
            content = f"根据《纳税信用管理办法》，评定{who}{evaluated}年度纳税信用级别为{grade}级。"
            basis = "《纳税信用管理办法》"
        elif code == "QS":
            owed = rng.randint(1, 3000) * 1000
            severity = self.severity(
                code,
                [("minor" if owed < 50_000 else "general" if owed < 1_000_000 else "serious", 1)],
            )
            tax = rng.choice(["增值税", "企业所得税", "城镇土地使用税", "房产税", "印花税"])
            title = f"欠缴{tax}{owed}元"
            content = f"截至{decision.isoformat()}，{who}欠缴{tax}{owed}元，已责令限期缴纳。"
            basis = "《中华人民共和国税收征收管理法》第四十五条"
            doc = self.doc_number(dept, "税通", year)
        else:  # pragma: no cover - RECORD_KINDS and this dispatch are edited together
            raise ValueError(code)
        if code in ("XK", "QR", "ZS", "JF", "CJ", "BC", "JL", "JC", "ZY", "YC", "NS", "YT", "TS"):
            severity = self.severity(code, [("none", 1)])
        return _Body(
            department=dept,
            severity=severity,
            title=title,
            content=content,
            document_number=doc,
            legal_basis=basis,
            conduct_date=conduct,
            penalty_type=penalty_type,
            penalty_amount=amount,
        )

    def new_record(self, uscc: str, code: str, body: _Body, **fields) -> RecordSpec:
        ordinal = self.record_count
        self.record_count += 1
        return RecordSpec(
            ordinal=ordinal,
            uscc=uscc,
            catalogue=code,
            department=body.department.code,
            severity=body.severity,
            title=body.title,
            content=body.content,
            document_number=body.document_number,
            legal_basis=body.legal_basis,
            **fields,
        )

    def record(
        self,
        entity: EntitySpec,
        depts: tuple[str, ...],
        code: str,
        departments: Mapping[str, DepartmentSpec],
    ) -> RecordSpec | None:
        """A plain credit record (a catalogue item that is not an administrative decision)."""
        rng = self.rng
        start = max(RECORDS_FROM, entity.established + dt.timedelta(days=30))
        end = entity.deregistered or self.as_of
        if start > end:
            return None
        if code == "NS":  # tax credit grades are published each April for the year before
            evaluated = rng.randint(RECORDS_FROM.year - 1, self.as_of.year - 1)
            decision = dt.date(evaluated + 1, 4, rng.randint(15, 30))
            if decision > end or decision < start:
                return None
        else:
            decision = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        body = self.body(entity, depts, code, departments, decision)
        scope = self.scope(code, body.severity)
        recorded = min(
            _at(decision + dt.timedelta(days=rng.randint(0, 3)), rng.randint(8 * 60 + 30, 18 * 60)),
            _at(self.as_of, 18 * 60),
        )
        published = None
        if scope == "public":
            published = min(
                recorded + dt.timedelta(minutes=rng.randint(5, 4 * 24 * 60)),
                _at(self.as_of, 23 * 60),
            )
        return self.new_record(
            entity.uscc,
            code,
            body,
            scope=scope,
            conduct_date=body.conduct_date,
            decision_date=decision,
            recorded_at=recorded,
            published_at=published,
        )

    def decision(
        self,
        chunk: Chunk,
        entity: EntitySpec,
        depts: tuple[str, ...],
        code: str,
        departments: Mapping[str, DepartmentSpec],
        forced: tuple[str, str] | None = None,
    ) -> None:
        """One administrative decision and, as of the as-of date, its publication (record and
        window, as decision_publish writes them), overdue flag and alert (as the hourly job
        sets them), expiry and restoration date (as the nightly job sets them) or withdrawal
        (as decision_change writes it)."""
        rng = self.rng
        as_of = self.as_of
        start = max(self.decisions_from, entity.established + dt.timedelta(days=30))
        end = entity.deregistered or as_of
        if start > end:
            return
        # A revoked business licence stays revoked: its penalty is published, never withdrawn.
        if forced is None:
            outcome = self.outcomes.pick(rng)
        else:
            outcome = "late" if rng.random() < 0.15 else "on_time"
        day = None
        if outcome == "pending" and end == as_of:
            # Unpublished decisions are mostly recent ones still within their 7 working days;
            # a few are overdue.
            if rng.random() < 0.7:
                low, high = as_of - dt.timedelta(days=8), as_of
            else:
                low, high = as_of - dt.timedelta(days=90), as_of - dt.timedelta(days=12)
            low = max(low, start)
            if low <= high:
                day = low + dt.timedelta(days=rng.randint(0, (high - low).days))
        if day is None:
            outcome = "on_time" if outcome == "pending" else outcome
            day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        if rng.random() < 0.95:  # decisions are signed on working days, nearly always
            day = self.calendar.on_or_after(day, end)
        body = self.body(entity, depts, code, departments, day, forced)
        due, provisional = self.calendar.add(day, self.publicity.publish_within)
        recorded = _at(day, rng.randint(8 * 60 + 30, 17 * 60))

        published_day: dt.date | None = None
        if outcome == "late" and due >= as_of:
            outcome = "pending"  # it will be late, but is not yet
        if outcome == "late":
            published_day = min(due + dt.timedelta(days=1 + int(44 * rng.random() ** 2)), as_of)
            published_day = self.calendar.on_or_after(published_day, as_of)
        elif outcome in ("on_time", "withdrawn"):
            # Most departments publish within a day or two; skew towards the decision date.
            last = min(due, as_of)
            published_day = day + dt.timedelta(
                days=int(((last - day).days + 1) * rng.random() ** 2)
            )
            published_day = self.calendar.on_or_after(published_day, last)
        ordinal = self.decision_count
        self.decision_count += 1
        spec = DecisionSpec(
            ordinal=ordinal,
            kind=self.decision_kind[code],
            catalogue=code,
            uscc=entity.uscc,
            department=body.department.code,
            document_number=body.document_number,
            decision_date=day,
            title=body.title,
            content=body.content,
            legal_basis=body.legal_basis,
            severity=body.severity,
            penalty_type=body.penalty_type,
            penalty_amount=body.penalty_amount,
            publicity_due=due,
            publicity_due_provisional=provisional,
            recorded_at=recorded,
            outcome=outcome,
        )
        chunk.decisions.append(spec)
        if published_day is None:
            spec.outcome = "overdue" if due < as_of else "awaiting"
        # The hourly job flags a decision in its first run after the due date.
        if due < (published_day or as_of):
            spec.flagged_at = _at(due + dt.timedelta(days=1), rng.randint(0, 59))
        if published_day is None:
            return

        if published_day == day:
            published = min(
                recorded + dt.timedelta(minutes=rng.randint(10, 300)), _at(day, 23 * 60 + 30)
            )
        else:
            published = _at(published_day, rng.randint(8 * 60 + 30, 18 * 60))
        rule = self.publicity.rules.get(body.severity)
        scope = self.scope(code, body.severity)
        if rule is not None and not rule.published and scope == "public":
            scope = "shared"
        record = self.new_record(
            entity.uscc,
            code,
            body,
            scope=scope,
            conduct_date=None,
            decision_date=day,
            recorded_at=published,
            published_at=published,
        )
        chunk.records.append(record)
        spec.status, spec.published_at, spec.record = "published", published, record.ordinal

        changed: dt.datetime | None = None
        if outcome == "withdrawn":
            low = published_day + dt.timedelta(days=10)
            if low > as_of:
                spec.outcome = outcome = "on_time"  # too recent to have been changed yet
            else:
                change_day = low + dt.timedelta(days=rng.randint(0, min(290, (as_of - low).days)))
                change_day = self.calendar.on_or_after(change_day, as_of)
                changed = _at(change_day, rng.randint(9 * 60, 17 * 60 + 30))
                change = self.changes.pick(rng)
                reason = self.change_reason(code, change)
                spec.status = "withdrawn"
                spec.change, spec.change_reason = change, reason
                spec.change_date = change_day  # withdrawn the day the change was recorded
                spec.changed_at = spec.withdrawn_at = changed
                spec.withdrawal_due = self.calendar.add(change_day, self.publicity.withdraw_within)[
                    0
                ]
                chunk.records.append(
                    self.new_record(
                        entity.uscc,
                        code,
                        _Body(
                            department=body.department,
                            severity=body.severity,
                            title=body.title,
                            content="",
                            document_number=body.document_number,
                            legal_basis="",
                        ),
                        scope=scope,
                        conduct_date=None,
                        decision_date=day,
                        recorded_at=changed,
                        published_at=None,
                        action="revocation",
                        supersedes=record.ordinal,
                        reason=reason,
                    )
                )
        if scope != "public":
            return  # warnings: recorded and shared, never shown (no window)
        shown = published.date()
        restoration_from = shown_until = None
        if rule is not None and rule.min_months:
            restoration_from = self.add_months(shown, rule.min_months)
        if rule is not None and rule.max_months:
            shown_until = self.add_months(shown, rule.max_months)
        stops: list[tuple[dt.datetime, str]] = []
        if shown_until is not None and shown_until < as_of:
            # The nightly job stops display in its first run after the maximum period.
            stops.append((_at(shown_until + dt.timedelta(days=1), NIGHTLY_JOB_MINUTES), "expired"))
        if changed is not None:
            stops.append((changed, "withdrawn"))
        stopped_at, stop_reason = min(stops) if stops else (None, "")
        # The nightly job opens restoration from the minimum period, unless display stopped.
        opens = _at(restoration_from, NIGHTLY_JOB_MINUTES) if restoration_from else None
        chunk.windows.append(
            WindowSpec(
                record=record.ordinal,
                shown_from=published,
                restoration_from=restoration_from,
                restoration_open=opens is not None
                and restoration_from <= as_of
                and (stopped_at is None or stopped_at > opens),
                shown_until=shown_until,
                stopped_at=stopped_at,
                stop_reason=stop_reason,
            )
        )

    @staticmethod
    def change_reason(code: str, change: str) -> str:
        if change == "annulled":
            return "经行政诉讼，人民法院判决确认原决定无效。"
        if change == "changed":
            return "经行政复议，原决定被依法变更，原公示信息撤下。"
        if code == "XK":
            return "被许可人以欺骗、贿赂等不正当手段取得行政许可，依法撤销。"
        return "经行政复议，原决定认定事实不清、证据不足，依法撤销。"

    def decisions(
        self,
        chunk: Chunk,
        entity: EntitySpec,
        depts: tuple[str, ...],
        departments: Mapping[str, DepartmentSpec],
    ) -> None:
        rng = self.rng
        kinds = self.decision_kinds[entity.kind]
        if kinds is not None:
            # Uniform on 0..2x the average (x = 1.5: 0-3 decisions per entity).
            wanted = int(rng.random() * (2 * self.decisions_per_entity + 1))
            for code in [kinds.pick(rng) for _ in range(wanted)]:
                self.decision(chunk, entity, depts, code, departments)
        if entity.status == "revoked" and "CF" in self.catalogue and "CF" in self.decision_kind:
            # A revoked business licence is itself a serious penalty decision.
            severity = self.severity("CF", [("serious", 1)])
            self.decision(chunk, entity, depts, "CF", departments, forced=("SAMR", severity))

    def court_name(self, entity: EntitySpec) -> str:
        county = _county_by_code().get(entity.region)
        if county is None:  # pragma: no cover - entities use codes from the same table
            return "人民法院"
        city = county.city if county.city != county.province else county.province
        return f"{city}{county.name}人民法院"

    def supersede(self, original: RecordSpec) -> RecordSpec | None:
        """A few corrections and revocations, as new rows (the ledger is append-only)."""
        rng = self.rng
        roll = rng.random()
        if roll >= 0.016 or (self.as_of - original.decision_date).days < 40:
            return None
        # Decisions are withdrawn through their decision (see decision()); of the plain
        # records, an assessed tax debt may be revoked.
        revoke = roll < 0.004 and original.catalogue == "QS"
        recorded = min(
            original.recorded_at
            + dt.timedelta(days=rng.randint(5, 30), minutes=rng.randint(0, 600)),
            _at(self.as_of, 18 * 60),
        )
        if recorded <= original.recorded_at:
            return None
        ordinal = self.record_count
        self.record_count += 1
        new = RecordSpec(
            ordinal=ordinal,
            uscc=original.uscc,
            catalogue=original.catalogue,
            department=original.department,
            scope=original.scope,
            severity=original.severity,
            title=original.title,
            content=original.content,
            document_number=original.document_number,
            legal_basis=original.legal_basis,
            conduct_date=original.conduct_date,
            decision_date=original.decision_date,
            recorded_at=recorded,
            published_at=recorded if original.published_at is not None else None,
            supersedes=original.ordinal,
        )
        if revoke:
            new.action = "revocation"
            new.reason = "经行政复议，原决定被依法撤销。"
        else:
            new.action = "correction"
            new.reason = "原记录信息录入错误，予以更正。"
            new.content = original.content + "（已更正）"
            if original.document_number:
                new.document_number = original.document_number.replace("号", "-1号")
        return new

    def records(
        self,
        chunk: Chunk,
        entity: EntitySpec,
        depts: tuple[str, ...],
        departments: Mapping[str, DepartmentSpec],
    ) -> None:
        rng = self.rng
        kinds = self.record_kinds[entity.kind]
        if kinds is None:
            return
        wanted = rng.randint(0, 2 * self.records_per_entity)
        originals: list[RecordSpec] = []
        for code in [kinds.pick(rng) for _ in range(wanted)]:
            record = self.record(entity, depts, code, departments)
            if record is not None:
                originals.append(record)
        for record in originals:
            chunk.records.append(record)
            successor = self.supersede(record)
            if successor is not None:
                chunk.records.append(successor)


@lru_cache(maxsize=1)
def _county_by_code() -> dict[str, County]:
    return {county.code: county for county in counties()}


def generate(
    *,
    entities: int,
    seed: int,
    records_per_entity: int = 2,
    decisions_per_entity: float = 1.5,
    as_of: dt.date = DEMO_AS_OF,
    catalogue: Mapping[str, CatalogueRule] | None = None,
    publicity: PublicityPolicy | None = None,
    calendar: WorkingDays | None = None,
    chunk_size: int = 5000,
) -> Iterator[Chunk]:
    """The demo data, in chunks of ``chunk_size`` entities. Pure and deterministic: the same
    arguments give the same output (chunk size only changes how it is cut).

    ``records_per_entity`` counts plain records (catalogue items that are not decisions),
    ``decisions_per_entity`` administrative decisions; published decisions add their records.
    The catalogue, publicity rules and calendar default to the shipped ones; the loader passes
    what the database holds.
    """
    from .services import DECISION_CATALOGUE, add_months  # pure helpers; one source of truth

    gen = _Generator(
        seed=seed,
        records_per_entity=records_per_entity,
        decisions_per_entity=decisions_per_entity,
        as_of=as_of,
        catalogue=catalogue if catalogue is not None else default_catalogue(),
        publicity=publicity if publicity is not None else default_publicity(),
        calendar=calendar if calendar is not None else WorkingDays.from_library(),
        decision_catalogue=DECISION_CATALOGUE,
        add_months=add_months,
    )
    departments = {spec.code: spec for spec in department_specs()}
    chunk = Chunk()
    for _ in range(entities):
        entity, depts = gen.entity()
        chunk.entities.append(entity)
        gen.roles(chunk, entity)
        gen.records(chunk, entity, depts, departments)
        gen.decisions(chunk, entity, depts, departments)
        if len(chunk.entities) >= chunk_size:
            yield chunk
            chunk = Chunk()
    if chunk.entities:
        yield chunk


# --- the loader -----------------------------------------------------------------------------
@dataclass
class SeedResult:
    created: bool
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _esc(text: str) -> str:
    """COPY text format: backslash, tab and line breaks are escaped."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


NULL = "\\N"  # COPY text format


def _opt(value) -> str:
    return NULL if value is None else value.isoformat()


def _array(values: list[str]) -> str:
    inner = ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return _esc("{" + inner + "}")


def _copy(cursor, table: str, columns: str, lines: list[str]) -> None:
    if not lines:
        return
    buffer = io.StringIO("\n".join(lines) + "\n")
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _reserve_ids(cursor, table: str, count: int) -> list[int]:
    """Take ids from the table's identity sequence, so rows can refer to each other in COPY."""
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


# The tables the loader writes with COPY.
LOADED_TABLES = (
    "registry_person",
    "registry_marketentity",
    "registry_marketentitygroupobjectpermission",
    "registry_entityrole",
    "registry_creditrecord",
    "registry_creditrecordgroupobjectpermission",
    "registry_decision",
    "registry_publicitywindow",
    "registry_departmentalert",
)


def _defer_indexes_and_foreign_keys(cursor, tables: tuple[str, ...]) -> Callable[[], None]:
    """Drop the tables' foreign keys and plain (non-unique) indexes; return their restorer.

    PostgreSQL's advice for populating a database: checking each row against its foreign keys
    and updating ten indexes per row is many times slower than building the indexes once and
    validating each foreign key with one set-based query. Primary keys, unique indexes and
    check constraints stay in force throughout. Everything happens inside the caller's
    transaction, so a failure leaves the schema as it was.
    """
    cursor.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, "
        "              pg_get_constraintdef(oid)), "
        "       format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
        "ORDER BY conrelid, conname",
        [list(tables)],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %%s', i.indexrelid::regclass) "
        "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
        "AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY i.indrelid, i.indexrelid",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    # Dropping a foreign key alters the referenced table too, which PostgreSQL refuses while
    # this transaction still has deferred checks queued for it (e.g. the departments just
    # created): run those checks now, then go back to deferring.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for _create, drop in foreign_keys + indexes:
        cursor.execute(drop)

    def restore() -> None:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for create, _drop in indexes + foreign_keys:
            cursor.execute(create)

    return restore


def seed_actor():
    """The sign-in that performs the seeding: a platform administrator that cannot sign in."""
    from django.contrib.auth import get_user_model

    from .services import platform_admin_group

    user, created = get_user_model().objects.get_or_create(
        username="demo-seed", defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(platform_admin_group())
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached viewer


def departments_ensure(actor) -> dict[str, object]:
    """The demo departments, created through the service unless one with the code exists."""
    from .models import Department
    from .services import department_create

    existing = {d.code: d for d in Department.objects.select_related("group")}
    result = {}
    for spec in department_specs():
        department = existing.get(spec.code)
        if department is None:
            department = department_create(
                actor=actor,
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                region=spec.region,
                registers_entities=spec.registers_entities,
            )
        result[spec.code] = department
    return result


def demo_seed(
    *,
    entities: int,
    seed: int,
    records_per_entity: int = 2,
    decisions_per_entity: float = 1.5,
    as_of: dt.date | None = None,
    chunk_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Load the demo data into an empty register, in one transaction.

    Refuses (and changes nothing) when any market entity exists: the credit record is
    append-only, so demo data cannot be replaced, only loaded once into a fresh database.
    """
    from django.contrib.auth.models import Permission
    from django.db import connection, transaction
    from django.utils import timezone

    from credit_portal.audit.services import audit_event_record
    from credit_portal.calendar.services import calendar_gap_record

    from . import personal
    from .models import CatalogueItem, CreditRecord, Decision, MarketEntity, PublicityRule
    from .services import ENTITY_PERM, RECORD_PERM, publicity_config

    say = progress or (lambda _message: None)
    started = time.monotonic()
    today = timezone.localdate()
    as_of = min(as_of or DEMO_AS_OF, today)
    counts = {
        "departments": 0,
        "entities": 0,
        "persons": 0,
        "roles": 0,
        "records": 0,
        "corrections": 0,
        "revocations": 0,
        "decisions": 0,
        "decisions_on_time": 0,
        "decisions_late": 0,
        "decisions_awaiting": 0,
        "decisions_overdue": 0,
        "decisions_withdrawn": 0,
        "windows": 0,
        "windows_expired": 0,
        "alerts": 0,
        "entity_permissions": 0,
        "record_permissions": 0,
    }
    with transaction.atomic():
        # Two seeders at once must not both find the register empty: the second waits here.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE registry_marketentity IN SHARE ROW EXCLUSIVE MODE")
        if MarketEntity.objects.exists():
            return SeedResult(
                created=False,
                message=(
                    "市场主体表不为空，未生成演示数据（信用记录只增不改，请使用新数据库）。/ "
                    "The register already holds market entities; no demo data was loaded (the "
                    "credit record is append-only: use a fresh database)."
                ),
            )
        actor = seed_actor()
        departments = departments_ensure(actor)
        counts["departments"] = len(departments)
        items = {item.code: item for item in CatalogueItem.objects.filter(active=True)}
        rules = {
            code: CatalogueRule(item.publicity_scope, tuple(item.severities))
            for code, item in items.items()
        }
        # The publicity rules, deadlines and calendar administrators keep, read once.
        config = publicity_config()
        publicity = PublicityPolicy(
            {
                rule.severity: PublicityTerms(rule.published, rule.min_months, rule.max_months)
                for rule in PublicityRule.objects.all()
            },
            publish_within=config.publish_within,
            withdraw_within=config.withdraw_within,
        )
        calendar_ = WorkingDays.from_database(
            decisions_from(as_of) - dt.timedelta(days=1), as_of + dt.timedelta(days=400)
        )
        perms = {
            codename: Permission.objects.get(codename=codename, content_type__app_label="registry")
            for codename in (ENTITY_PERM, RECORD_PERM)
        }
        entity_perm, record_perm = perms[ENTITY_PERM].pk, perms[RECORD_PERM].pk
        dept_ids = {code: d.pk for code, d in departments.items()}
        group_ids = {code: d.group_id for code, d in departments.items()}
        item_ids = {code: item.pk for code, item in items.items()}
        now = timezone.now().isoformat()
        person_ids: list[int] = []
        record_ids: list[int] = []
        decision_ids: list[int] = []
        record_table = CreditRecord._meta.db_table
        decision_table = Decision._meta.db_table
        with connection.cursor() as cursor:
            restore = _defer_indexes_and_foreign_keys(cursor, LOADED_TABLES)
            for chunk in generate(
                entities=entities,
                seed=seed,
                records_per_entity=records_per_entity,
                decisions_per_entity=decisions_per_entity,
                as_of=as_of,
                catalogue=rules,
                publicity=publicity,
                calendar=calendar_,
                chunk_size=chunk_size,
            ):
                person_ids.extend(_reserve_ids(cursor, "registry_person", len(chunk.persons)))
                _copy(
                    cursor,
                    "registry_person",
                    "id, name, id_kind, id_number_encrypted, id_number_hash, "
                    "id_number_masked, created_at",
                    [
                        f"{person_ids[p.ordinal]}\t{_esc(p.name)}\tresident\t"
                        f"{personal.encrypt(p.id_number)}\t{personal.lookup_hash(p.id_number)}\t"
                        f"{personal.mask(p.id_number)}\t{now}"
                        for p in chunk.persons
                    ],
                )
                _copy(
                    cursor,
                    "registry_marketentity",
                    "uscc, name, former_names, search_names, kind, region, industry, "
                    "state_owned, status, established, deregistered, address, created_at, "
                    "updated_at, registration_authority_id",
                    [
                        f"{e.uscc}\t{_esc(e.name)}\t{_array(e.former_names)}\t"
                        f"{_esc(names.search_text(e.name, e.former_names))}\t{e.kind}\t"
                        f"{e.region}\t{e.industry}\t{'t' if e.state_owned else 'f'}\t{e.status}\t"
                        f"{e.established.isoformat()}\t{_opt(e.deregistered)}\t{_esc(e.address)}"
                        f"\t{now}\t{now}\t{dept_ids[e.department]}"
                        for e in chunk.entities
                    ],
                )
                _copy(
                    cursor,
                    "registry_marketentitygroupobjectpermission",
                    "content_object_id, group_id, permission_id",
                    [f"{e.uscc}\t{group_ids[e.department]}\t{entity_perm}" for e in chunk.entities],
                )
                _copy(
                    cursor,
                    "registry_entityrole",
                    "entity_id, person_id, kind, since, until",
                    [
                        f"{r.uscc}\t{person_ids[r.person]}\t{r.kind}\t{r.since.isoformat()}\t"
                        f"{_opt(r.until)}"
                        for r in chunk.roles
                    ],
                )
                record_ids.extend(_reserve_ids(cursor, record_table, len(chunk.records)))
                _copy(
                    cursor,
                    record_table,
                    "id, entity_id, catalogue_item_id, source_department_id, action, "
                    "supersedes_id, scope, severity, title, content, document_number, "
                    "legal_basis, conduct_date, decision_date, published_at, reason, "
                    "created_at",
                    [
                        f"{record_ids[r.ordinal]}\t{r.uscc}\t{item_ids[r.catalogue]}\t"
                        f"{dept_ids[r.department]}\t{r.action}\t"
                        f"{NULL if r.supersedes is None else record_ids[r.supersedes]}\t"
                        f"{r.scope}\t{r.severity}\t{_esc(r.title)}\t{_esc(r.content)}\t"
                        f"{_esc(r.document_number)}\t{_esc(r.legal_basis)}\t"
                        f"{_opt(r.conduct_date)}\t{r.decision_date.isoformat()}\t"
                        f"{_opt(r.published_at)}\t{_esc(r.reason)}\t{r.recorded_at.isoformat()}"
                        for r in chunk.records
                    ],
                )
                _copy(
                    cursor,
                    "registry_creditrecordgroupobjectpermission",
                    "content_object_id, group_id, permission_id",
                    [
                        f"{record_ids[r.ordinal]}\t{group_ids[r.department]}\t{record_perm}"
                        for r in chunk.records
                    ],
                )
                decision_ids.extend(_reserve_ids(cursor, decision_table, len(chunk.decisions)))
                _copy(
                    cursor,
                    decision_table,
                    "id, kind, department_id, entity_id, document_number, decision_date, title, "
                    "content, legal_basis, severity, penalty_type, penalty_amount, status, "
                    "publicity_due, publicity_due_provisional, published_at, "
                    "record_id, change, change_reason, change_date, changed_at, withdrawal_due, "
                    "withdrawn_at, created_at",
                    [
                        f"{decision_ids[d.ordinal]}\t{d.kind}\t{dept_ids[d.department]}\t"
                        f"{d.uscc}\t{_esc(d.document_number)}\t{d.decision_date.isoformat()}\t"
                        f"{_esc(d.title)}\t{_esc(d.content)}\t{_esc(d.legal_basis)}\t"
                        f"{d.severity}\t{d.penalty_type}\t"
                        f"{NULL if d.penalty_amount is None else d.penalty_amount}\t{d.status}\t"
                        f"{d.publicity_due.isoformat()}\t"
                        f"{'t' if d.publicity_due_provisional else 'f'}\t"
                        f"{_opt(d.published_at)}\t"
                        f"{NULL if d.record is None else record_ids[d.record]}\t{d.change}\t"
                        f"{_esc(d.change_reason)}\t{_opt(d.change_date)}\t{_opt(d.changed_at)}\t"
                        f"{_opt(d.withdrawal_due)}\t{_opt(d.withdrawn_at)}\t"
                        f"{d.recorded_at.isoformat()}"
                        for d in chunk.decisions
                    ],
                )
                _copy(
                    cursor,
                    "registry_publicitywindow",
                    "record_id, shown_from, restoration_from, restoration_open, shown_until, "
                    "stopped_at, stop_reason",
                    [
                        f"{record_ids[w.record]}\t{w.shown_from.isoformat()}\t"
                        f"{_opt(w.restoration_from)}\t{'t' if w.restoration_open else 'f'}\t"
                        f"{_opt(w.shown_until)}\t{_opt(w.stopped_at)}\t{w.stop_reason}"
                        for w in chunk.windows
                    ],
                )
                # The hourly job's alert for each decision it flagged overdue; publication
                # resolved it.
                alerts = [
                    f"{dept_ids[d.department]}\tpublicity_overdue\t{decision_ids[d.ordinal]}\t"
                    f"{d.flagged_at.isoformat()}\t{_opt(d.published_at)}"
                    for d in chunk.decisions
                    if d.flagged_at is not None
                ]
                _copy(
                    cursor,
                    "registry_departmentalert",
                    "department_id, kind, decision_id, created_at, resolved_at",
                    alerts,
                )
                counts["entities"] += len(chunk.entities)
                counts["persons"] += len(chunk.persons)
                counts["roles"] += len(chunk.roles)
                counts["records"] += len(chunk.records)
                counts["corrections"] += sum(r.action == "correction" for r in chunk.records)
                counts["revocations"] += sum(r.action == "revocation" for r in chunk.records)
                counts["decisions"] += len(chunk.decisions)
                for d in chunk.decisions:
                    counts[f"decisions_{d.outcome}"] += 1
                counts["windows"] += len(chunk.windows)
                counts["windows_expired"] += sum(w.stop_reason == "expired" for w in chunk.windows)
                counts["alerts"] += len(alerts)
                counts["entity_permissions"] += len(chunk.entities)
                counts["record_permissions"] += len(chunk.records)
                elapsed = time.monotonic() - started
                say(
                    f"  {counts['entities']:>9,} entities  {counts['persons']:>9,} persons  "
                    f"{counts['records']:>10,} records  {counts['decisions']:>9,} decisions  "
                    f"{elapsed:7.1f} s"
                )
            say("  building indexes and validating foreign keys")
            restore()
        if calendar_.gaps:
            # publicity_due_for warns once per provisional answer; the bulk load, once per year.
            calendar_gap_record(years=tuple(sorted(calendar_.gaps)))
        audit_event_record(
            actor=actor,
            action="demo.seed",
            target_type="registry.demo",
            target_id=str(seed),
            after={
                "seed": seed,
                "entities_requested": entities,
                "records_per_entity": records_per_entity,
                "decisions_per_entity": decisions_per_entity,
                "as_of": as_of.isoformat(),
                **counts,
            },
        )
        say("  committing")
    with connection.cursor() as cursor:  # fresh statistics for the planner after a bulk load
        for table in LOADED_TABLES:
            cursor.execute(f"ANALYZE {table}")
    return SeedResult(created=True, counts=counts, seconds=time.monotonic() - started)


# --- demo sign-ins ----------------------------------------------------------------------------
DEMO_PASSWORD = "credit-demo-2026"
DEMO_API_CLIENT_NAME = "演示接口客户端 / demo API client"
DEMO_TOKEN_FILE = "demo_api_token.txt"


@dataclass(frozen=True)
class SignIn:
    username: str
    role: str  # bilingual label
    where: str
    note: str = ""


@dataclass
class DemoUsers:
    password: str
    sign_ins: list[SignIn]
    api_client: object  # registry.ApiClient
    api_token: str
    api_department: str


def _demo_user(username: str, password: str, **flags: bool):
    """Create the user, or bring an existing one back to the demo state (password, flags)."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username=username)
    changed = [name for name, value in flags.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, flags[name])
    if not user.is_active:
        user.is_active = True
        changed.append("is_active")
    if not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached viewer


def _demo_api_token(actor, department) -> tuple[object, str]:
    """Reuse the token kept in VAR_DIR while it still opens an active client; otherwise
    deactivate the old demo clients and create a new one (only the token's hash is stored)."""
    from pathlib import Path

    from django.conf import settings

    from credit_portal.audit.services import audit_event_record
    from credit_portal.tokens import token_hash

    from .models import ApiClient
    from .services import api_client_create

    path = Path(settings.VAR_DIR) / DEMO_TOKEN_FILE
    token = path.read_text().strip() if path.exists() else ""
    if token:
        client = ApiClient.objects.filter(token_hash=token_hash(token), active=True).first()
        if client is not None and client.name == DEMO_API_CLIENT_NAME:
            return client, token
    for old in ApiClient.objects.filter(name=DEMO_API_CLIENT_NAME, active=True):
        ApiClient.objects.filter(pk=old.pk).update(active=False)
        audit_event_record(
            actor=actor,
            action="api_client.deactivate",
            target=old,
            reason="demo token rotated: the saved token is missing or no longer valid",
        )
    client, token = api_client_create(actor=actor, name=DEMO_API_CLIENT_NAME, department=department)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return client, token


def demo_users_ensure(password: str = DEMO_PASSWORD) -> DemoUsers:
    """The demo sign-ins, created once and reused: a platform administrator, market-regulation
    staff and head, tax staff, an entity user and an API client (all in the right places)."""
    from django.db import transaction
    from django.db.models import Exists, OuterRef

    from .models import CreditRecord, DepartmentMembership, EntityAccount, MarketEntity
    from .services import entity_account_grant, membership_set, platform_admin_group

    with transaction.atomic():
        admin = _demo_user("admin", password, is_superuser=True, is_staff=True)
        admin.groups.add(platform_admin_group())
        departments = departments_ensure(admin)
        samr = departments[f"SAMR-{DEMO_REGIONS[0][0]}"]
        tax = departments[f"TAX-{DEMO_REGIONS[0][0]}"]
        workbench = "/workbench/login/"
        sign_ins = [
            SignIn("admin", "平台管理员 / platform administrator", "/admin/ , " + workbench),
        ]
        for username, department, role, label in (
            ("samr-staff", samr, DepartmentMembership.Role.STAFF, "部门工作人员 / staff"),
            ("samr-head", samr, DepartmentMembership.Role.HEAD, "部门负责人 / head"),
            ("tax-staff", tax, DepartmentMembership.Role.STAFF, "部门工作人员 / staff"),
        ):
            user = _demo_user(username, password, is_superuser=False, is_staff=False)
            membership_set(actor=admin, user=user, department=department, role=role)
            sign_ins.append(SignIn(username, f"{label}: {department.name}", workbench))

        user = _demo_user("entity-demo", password, is_superuser=False, is_staff=False)
        account = EntityAccount.objects.filter(user=user).first()
        uscc = account.entity_id if account is not None else ""
        if not uscc:
            # The first demo enterprise (by USCC) that is active and has a credit record.
            first = (
                MarketEntity.objects.filter(kind="enterprise", status="active")
                .filter(Exists(CreditRecord.objects.filter(entity=OuterRef("pk"))))
                .order_by("uscc")
                .values_list("uscc", flat=True)
                .first()
            ) or MarketEntity.objects.order_by("uscc").values_list("uscc", flat=True).first()
            if first:
                entity_account_grant(actor=admin, user=user, uscc=first)
                uscc = first
        if uscc:
            sign_ins.append(
                SignIn(
                    "entity-demo",
                    "市场主体用户 / entity user",
                    workbench,
                    f"{uscc}: /entity/{uscc}/",
                )
            )
        else:
            sign_ins.append(
                SignIn(
                    "entity-demo",
                    "市场主体用户（未绑定）/ entity user (not bound)",
                    workbench,
                    "先运行 seed_demo / run seed_demo first",
                )
            )
        client, token = _demo_api_token(admin, samr)
    return DemoUsers(
        password=password,
        sign_ins=sign_ins,
        api_client=client,
        api_token=token,
        api_department=samr.name,
    )
