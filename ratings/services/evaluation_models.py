"""Writes of evaluation models (35/6): created as drafts with their indicators, published,
and changed only by publishing a new version."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound
from registry.models import CatalogueItem, Severity

from .. import scoring
from ..models import EvaluationModel, Indicator
from .configuration import platform_admin_required


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(scoring.CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(
            _("“%(field)s”应为数字。/ %(field)s must be a number.") % {"field": field},
            code="invalid_number",
            field=field,
        ) from None
    if abs(number) >= Decimal("100000"):
        raise DomainError(
            _("“%(field)s”超出范围。/ %(field)s is out of range.") % {"field": field},
            code="invalid_number",
            field=field,
        )
    return number


def _clean_indicator(raw: dict, position: int) -> dict:
    code = str(raw.get("code", "")).strip()
    name = str(raw.get("name", "")).strip()
    if not code or not name:
        raise DomainError(
            _("第%(n)d个指标缺少编码或名称。/ Indicator %(n)d needs a code and a name.")
            % {"n": position},
            code="indicator_invalid",
            field="indicators",
        )
    source = raw.get("source", "")
    if source not in Indicator.Source.values:
        raise DomainError(
            _("指标“%(code)s”的来源无效。/ Indicator “%(code)s” has an unknown source.")
            % {"code": code},
            code="indicator_invalid",
            field="indicators",
        )
    kinds = list(raw.get("catalogue_kinds") or [])
    severities = list(raw.get("severities") or [])
    polarity = raw.get("polarity") or ""
    flag = raw.get("flag") or ""
    allowed_flags = {
        Indicator.Source.RECORDS: ("",),
        Indicator.Source.STANDING: scoring.STANDING_FLAGS,
        Indicator.Source.COMMITMENTS: scoring.COMMITMENT_FLAGS,
        Indicator.Source.DISCLOSURES: ("verified",),
    }[source]
    bad = (
        not set(kinds) <= set(CatalogueItem.Kind.values)
        or not set(severities) <= set(Severity.values)
        or polarity not in ("", *CatalogueItem.Polarity.values)
        or flag not in allowed_flags
        or (source != Indicator.Source.RECORDS and (kinds or severities or polarity))
    )
    if source == Indicator.Source.DISCLOSURES:
        flag = "verified"
    elif source != Indicator.Source.RECORDS and not flag:
        bad = True
    if bad:
        raise DomainError(
            _("指标“%(code)s”的条件无效。/ Indicator “%(code)s” has invalid conditions.")
            % {"code": code},
            code="indicator_invalid",
            field="indicators",
        )
    max_age = raw.get("max_age_days")
    if max_age in ("", None):
        max_age = None
    else:
        try:
            max_age = int(max_age)
        except (TypeError, ValueError):
            max_age = -1
        if not 1 <= max_age <= 36500:
            raise DomainError(
                _("指标“%(code)s”的计入期限无效。/ Indicator “%(code)s”: invalid period.")
                % {"code": code},
                code="indicator_invalid",
                field="indicators",
            )
    max_effect = raw.get("max_effect")
    max_effect = None if max_effect in ("", None) else _decimal(max_effect, "max_effect")
    if max_effect is not None and max_effect <= 0:
        raise DomainError(
            _("影响上限须为正数。/ The largest effect must be positive."),
            code="indicator_invalid",
            field="indicators",
        )
    return {
        "position": position,
        "code": code,
        "name": name,
        "source": source,
        "catalogue_kinds": kinds,
        "polarity": polarity,
        "severities": severities,
        "max_age_days": max_age,
        "flag": flag,
        "weight": _decimal(raw.get("weight"), "weight"),
        "max_effect": max_effect,
    }


@transaction.atomic
def model_create(
    *,
    actor,
    code: str,
    name: str,
    base_score: Any,
    cap: Any,
    band_a: Any,
    band_b: Any,
    band_c: Any,
    indicators: Iterable[dict],
    industry: str = "",
) -> EvaluationModel:
    """Write the next version of model ``code`` (a draft until ``model_publish``). Editing a
    model is writing its next version: the published ones never change."""
    platform_admin_required(actor)
    code, name, industry = (code or "").strip(), (name or "").strip(), (industry or "").strip()
    if not code or not name:
        raise DomainError(_("请填写模型编码和名称。/ Enter the code and the name."), field="code")
    if industry and not (industry.isascii() and industry.isalnum()):
        raise DomainError(
            _("行业代码为GB/T 4754门类字母或数字代码。/ The industry is a GB/T 4754 code."),
            code="invalid_industry",
            field="industry",
        )
    numbers = {
        key: _decimal(value, key)
        for key, value in (
            ("base_score", base_score),
            ("cap", cap),
            ("band_a", band_a),
            ("band_b", band_b),
            ("band_c", band_c),
        )
    }
    if not (numbers["cap"] >= numbers["band_a"] > numbers["band_b"] > numbers["band_c"] > 0):
        raise DomainError(
            _("分档须满足 最高分 ≥ A > B > C > 0。/ Bands must satisfy cap ≥ A > B > C > 0."),
            code="invalid_bands",
            field="band_a",
        )
    if not 0 <= numbers["base_score"] <= numbers["cap"]:
        raise DomainError(
            _("基础分须在 0 与最高分之间。/ The base score lies between 0 and the cap."),
            code="invalid_base",
            field="base_score",
        )
    rows = [_clean_indicator(raw, n) for n, raw in enumerate(indicators, start=1)]
    if not rows:
        raise DomainError(
            _("模型至少要有一个指标。/ A model has at least one indicator."),
            code="indicators_required",
            field="indicators",
        )
    if len({r["code"] for r in rows}) != len(rows):
        raise DomainError(
            _("指标编码重复。/ Indicator codes repeat."),
            code="indicator_invalid",
            field="indicators",
        )
    with connection.cursor() as cursor:  # versions of one code are numbered one by one
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"ratings.model:{code}"]
        )
    previous = EvaluationModel.objects.filter(code=code).order_by("-version").first()
    if previous is not None and previous.industry != industry:
        raise DomainError(
            _("同一模型的行业不能改变。/ A model's industry cannot change."),
            code="industry_changed",
            field="industry",
        )
    model = EvaluationModel.objects.create(
        code=code,
        version=(previous.version if previous else 0) + 1,
        name=name,
        industry=industry,
        **numbers,
    )
    Indicator.objects.bulk_create(Indicator(model=model, **row) for row in rows)
    audit_event_record(
        actor=actor,
        action="evaluation_model.create",
        target=model,
        after={"code": code, "version": model.version, "indicators": len(rows)},
    )
    return model


@transaction.atomic
def model_publish(*, actor, model_id: int) -> EvaluationModel:
    """Publish a version: the next run rates with it; it never changes again."""
    platform_admin_required(actor)
    try:
        model = EvaluationModel.objects.select_for_update().get(pk=int(model_id))
    except (EvaluationModel.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("评价模型不存在。/ No such evaluation model."), code="model_not_found"
        ) from None
    if model.published_at is not None:
        return model
    if not model.industry and model.code != "public":
        raise DomainError(
            _("公共模型的编码为 public。/ The public model's code is “public”."),
            code="public_model_code",
        )
    newer = EvaluationModel.objects.filter(
        code=model.code, version__gt=model.version, published_at__isnull=False
    ).exists()
    if newer:
        raise DomainError(
            _("已发布更新的版本。/ A newer version is published already."),
            code="model_outdated",
        )
    model.published_at = timezone.now()
    model.save(update_fields=["published_at"])
    audit_event_record(actor=actor, action="evaluation_model.publish", target=model)
    return model


def model_revise(*, actor, model_id: int, **changes: Any) -> EvaluationModel:
    """The next version of a model, from an existing one with ``changes`` (any of
    ``model_create``'s arguments) applied."""
    try:
        source = EvaluationModel.objects.get(pk=int(model_id))
    except (EvaluationModel.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("评价模型不存在。/ No such evaluation model."), code="model_not_found"
        ) from None
    current = {
        "code": source.code,
        "name": source.name,
        "industry": source.industry,
        "base_score": source.base_score,
        "cap": source.cap,
        "band_a": source.band_a,
        "band_b": source.band_b,
        "band_c": source.band_c,
        "indicators": list(
            source.indicators.order_by("position").values(
                "code",
                "name",
                "source",
                "catalogue_kinds",
                "polarity",
                "severities",
                "max_age_days",
                "flag",
                "weight",
                "max_effect",
            )
        ),
    }
    return model_create(actor=actor, **{**current, **changes})
