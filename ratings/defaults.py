"""The default public evaluation model and supervision tiers, loaded by a data migration so a
new installation rates out of the box. Platform administrators revise them (a new version)."""

from __future__ import annotations

from decimal import Decimal

PUBLIC_MODEL = {
    "code": "public",
    "name": "公共信用综合评价模型 / public credit evaluation model",
    "base_score": Decimal("85"),
    "cap": Decimal("100"),
    "band_a": Decimal("90"),
    "band_b": Decimal("75"),
    "band_c": Decimal("60"),
}

_3Y, _1Y = 3 * 365, 365


def _ind(code, name, source, weight, cap=None, *, kinds=(), severities=(), polarity="",
         age=None, flag="") -> dict:  # fmt: skip
    return {
        "code": code,
        "name": name,
        "source": source,
        "catalogue_kinds": list(kinds),
        "polarity": polarity,
        "severities": list(severities),
        "max_age_days": age,
        "flag": flag,
        "weight": Decimal(weight),
        "max_effect": None if cap is None else Decimal(cap),
    }


PUBLIC_INDICATORS = [
    _ind("penalty_serious", "严重行政处罚（3年内）", "records", "-15", "45",
         kinds=["penalty"], severities=["serious"], age=_3Y),
    _ind("penalty_general", "一般行政处罚（3年内）", "records", "-6", "30",
         kinds=["penalty"], severities=["general"], age=_3Y),
    _ind("penalty_minor", "轻微行政处罚和警告（1年内）", "records", "-2", "10",
         kinds=["penalty"], severities=["minor", "warning"], age=_1Y),
    _ind("judicial", "失信司法信息（3年内）", "records", "-10", "30",
         kinds=["judicial"], polarity="negative", age=_3Y),
    _ind("abnormal", "经营异常（1年内）", "records", "-8", "16", kinds=["abnormal"], age=_1Y),
    _ind("reward", "行政奖励和表彰（3年内）", "records", "3", "9", kinds=["reward"], age=_3Y),
    _ind("punishment_list", "列入失信联合惩戒对象名单", "standing", "-40",
         flag="punishment_listed"),
    _ind("attention_list", "列入重点关注名单", "standing", "-15", flag="attention_listed"),
    _ind("red_list", "列入红名单", "standing", "10", flag="red_listed"),
    _ind("commitment_kept", "信用承诺全部履行", "commitments", "1", "5", flag="fulfilled"),
    _ind("commitment_breached", "违背信用承诺", "commitments", "-8", "24", flag="breached"),
    _ind("voluntary_verified", "自愿注册信息（已核实）", "disclosures", "1", "5",
         flag="verified"),
]  # fmt: skip

TIERS = [
    ("A", "低频抽查 / low frequency", Decimal("0.02")),
    ("B", "正常抽查 / normal", Decimal("0.05")),
    ("C", "提高抽查比例 / higher", Decimal("0.10")),
    ("D", "重点监管 / highest", Decimal("0.20")),
]


def indicator_rows() -> list[dict]:
    return [{"position": n, **row} for n, row in enumerate(PUBLIC_INDICATORS, start=1)]


def load_defaults(evaluation_model, indicator, tier, now) -> None:
    """Insert the defaults that are missing (a migration's models are passed in)."""
    if not evaluation_model.objects.filter(code="public").exists():
        model = evaluation_model.objects.create(version=1, published_at=now, **PUBLIC_MODEL)
        indicator.objects.bulk_create(indicator(model=model, **row) for row in indicator_rows())
    for grade, name, ratio in TIERS:
        tier.objects.get_or_create(grade=grade, defaults={"name": name, "ratio": ratio})
