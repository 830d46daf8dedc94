"""What the generator picks from: names, trades, record and decision kinds, penalty grounds,
licences, inspections, and their weights."""

from __future__ import annotations

import datetime as dt

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
