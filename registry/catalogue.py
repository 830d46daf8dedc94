"""The default credit information catalogue (2022 opinions, art. 21; ARCHITECTURE section 4).

Loaded by a data migration; administrators edit it afterwards. Scope says who may see a kind of
information: public (anyone), shared (departments), authorised (with a logged purpose).
"""

from __future__ import annotations

ALL_PENALTY = ["warning", "minor", "general", "serious"]
TIERS = ["minor", "general", "serious"]

# code, name, name_en, kind, polarity, severities, scope, publicity period rule, legal basis
DEFAULT_ITEMS: list[tuple[str, str, str, str, str, list[str], str, str, str]] = [
    ("XK", "行政许可信息", "Administrative licence", "licence", "neutral", [], "public",
     "许可有效期内公示 / shown while the licence is valid", "国办发〔2019〕35号 第十五条"),
    ("CF", "行政处罚信息", "Administrative penalty", "penalty", "negative", ALL_PENALTY, "public",
     "警告不公示；轻微3个月；一般3个月至1年；严重1年至3年 / warnings not published; minor 3 "
     "months; general 3 months-1 year; serious 1-3 years", "国办发〔2019〕35号 第十五条"),
    ("QZ", "行政强制信息", "Administrative compulsion", "compulsion", "negative", TIERS,
     "public", "同行政处罚 / as penalties", "国办发〔2019〕35号 第十五条"),
    ("QR", "行政确认信息", "Administrative confirmation", "confirmation", "neutral", [],
     "public", "", "国办发〔2019〕35号 第十五条"),
    ("ZS", "行政征收信息", "Administrative expropriation", "expropriation", "neutral", [],
     "public", "", "国办发〔2019〕35号 第十五条"),
    ("JF", "行政给付信息", "Administrative payment", "payment", "neutral", [], "public", "",
     "国办发〔2019〕35号 第十五条"),
    ("CJ", "行政裁决信息", "Administrative ruling", "ruling", "neutral", [], "public", "",
     "国办发〔2019〕35号 第十五条"),
    ("BC", "行政补偿信息", "Administrative compensation", "compensation", "neutral", [],
     "public", "", "国办发〔2019〕35号 第十五条"),
    ("JL", "行政奖励信息", "Administrative reward", "reward", "positive", [], "public", "",
     "国办发〔2019〕35号 第十五条；国发〔2016〕33号 第二条"),
    ("JC", "行政检查信息", "Administrative inspection", "inspection", "neutral", [], "public",
     "", "国办发〔2019〕35号 第七条、第十五条"),
    ("SF", "司法判决及失信被执行人信息", "Judicial information", "judicial", "negative", TIERS,
     "public", "", "国发〔2016〕33号 第九条"),
    ("CN", "信用承诺及履行信息", "Commitment performance", "commitment", "neutral", TIERS,
     "public", "", "国办发〔2019〕35号 第一条"),
    ("YT", "约谈记录", "Interview record", "interview", "negative", [], "shared", "",
     "国办发〔2019〕35号 第十条"),
    ("TS", "投诉举报信息", "Complaint or tip-off", "complaint", "negative", [], "authorised",
     "举报人信息保密 / the reporter's identity stays confidential", "国发〔2016〕33号 第十三条"),
    ("ZY", "自愿注册信用信息", "Voluntarily registered information", "voluntary", "positive", [],
     "public", "经核验后公开 / public once verified", "国办发〔2019〕35号 第五条"),
    ("MD", "严重失信主体名单信息", "Serious dishonesty list", "listing", "negative", ["serious"],
     "public", "", "国办发〔2019〕35号 第八条"),
    ("YC", "经营异常名录信息", "Abnormal operation", "abnormal", "negative", [], "public", "",
     "企业信息公示暂行条例"),
    ("NS", "纳税信用评价信息", "Tax credit evaluation", "tax", "neutral", [], "shared", "",
     "国办发〔2019〕35号 第六条"),
    ("QS", "欠税信息", "Tax arrears", "tax", "negative", TIERS, "public", "",
     "国发〔2016〕33号 第十条"),
]


def load_default_catalogue(catalogue_item_model) -> int:
    """Insert the default items that are missing (existing items are the administrators')."""
    existing = set(catalogue_item_model.objects.values_list("code", flat=True))
    new = [
        catalogue_item_model(
            code=code, name=name, name_en=name_en, kind=kind, polarity=polarity,
            severities=severities, publicity_scope=scope, publicity_period_rule=period,
            legal_basis=basis,
        )
        for code, name, name_en, kind, polarity, severities, scope, period, basis in DEFAULT_ITEMS
        if code not in existing
    ]
    catalogue_item_model.objects.bulk_create(new)
    return len(new)
