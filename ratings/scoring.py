"""How a score is computed, twice over and the same way: in Python from a rating's stored
inputs (explanations, recomputation, tests) and as one set-based SQL statement per chunk (the
nightly run; docs/architecture.md §6). Both use exact decimals: points = weight x count, each
indicator's effect capped at its ``max_effect``, the score base + effects clamped to
[0, cap], the grade by bands."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from commitments import selectors as commitment_selectors
from registry import selectors as registry_selectors
from registry.models import CatalogueItem, Severity

from .models import EvaluationModel, Indicator

CENT = Decimal("0.01")
COMMITMENT_FLAGS = ("fulfilled", "partial", "breached")
STANDING_FLAGS = ("punishment_listed", "attention_listed", "red_listed")


@dataclass(frozen=True)
class Ind:
    id: int
    code: str
    name: str
    source: str
    kinds: tuple[str, ...]
    polarity: str
    severities: tuple[str, ...]
    max_age_days: int | None
    flag: str
    weight: Decimal
    max_effect: Decimal | None


@dataclass(frozen=True)
class Model:
    id: int
    code: str
    version: int
    industry: str
    base: Decimal
    cap: Decimal
    band_a: Decimal
    band_b: Decimal
    band_c: Decimal
    indicators: tuple[Ind, ...]


def model_of(row: EvaluationModel) -> Model:
    return Model(
        id=row.pk,
        code=row.code,
        version=row.version,
        industry=row.industry,
        base=row.base_score,
        cap=row.cap,
        band_a=row.band_a,
        band_b=row.band_b,
        band_c=row.band_c,
        indicators=tuple(
            Ind(
                id=i.pk,
                code=i.code,
                name=i.name,
                source=i.source,
                kinds=tuple(i.catalogue_kinds),
                polarity=i.polarity,
                severities=tuple(i.severities),
                max_age_days=i.max_age_days,
                flag=i.flag,
                weight=i.weight,
                max_effect=i.max_effect,
            )
            for i in row.indicators.order_by("position")
        ),
    )


def models_in_force() -> list[Model]:
    """The newest published version of every model code: the public model and any industry
    models, longest industry code first (the order an entity is matched in)."""
    newest = (
        EvaluationModel.objects.filter(published_at__isnull=False)
        .values("code")
        .annotate(v=Max("version"))
    )
    rows = [EvaluationModel.objects.get(code=n["code"], version=n["v"]) for n in newest.order_by()]
    return in_match_order(model_of(r) for r in rows)


def in_match_order(models: Iterable[Model]) -> list[Model]:
    """Longest industry code first: the order an entity is matched to its model in."""
    return sorted(models, key=lambda m: (-len(m.industry), m.code))


# --- the Python side --------------------------------------------------------------------------
def effect(ind: Ind, count: int) -> Decimal:
    points = ind.weight * count
    if ind.max_effect is not None:
        points = max(-ind.max_effect, min(ind.max_effect, points))
    return points


def grade_of(model: Model, score: Decimal) -> str:
    if score >= model.band_a:
        return "A"
    if score >= model.band_b:
        return "B"
    if score >= model.band_c:
        return "C"
    return "D"


@dataclass(frozen=True)
class Explanation:
    score: Decimal
    grade: str
    lines: list[tuple[Ind, int, Decimal]]  # indicator, count, points


def explain(model: Model, inputs: Sequence[int]) -> Explanation:
    """Score, grade and points per indicator from a rating's stored inputs."""
    if len(inputs) != len(model.indicators):
        raise ValueError("inputs do not match the model's indicators")
    lines = [(ind, n, effect(ind, n)) for ind, n in zip(model.indicators, inputs, strict=True)]
    total = model.base + sum((points for _i, _n, points in lines), Decimal(0))
    score = max(Decimal(0), min(model.cap, total)).quantize(CENT)
    return Explanation(score=score, grade=grade_of(model, score), lines=lines)


# --- the SQL side ----------------------------------------------------------------------------
def _literal_list(values: Sequence[str], allowed: Sequence[str]) -> str:
    # Only values from the model's own choices are ever written into the statement.
    if not set(values) <= set(allowed):
        raise ValueError(f"unexpected values: {sorted(set(values) - set(allowed))}")
    return ", ".join(f"'{v}'" for v in values)


def _record_condition(ind: Ind, catalogue: dict[int, tuple[str, str]]) -> str:
    """``catalogue``: every item's kind and polarity (``registry.selectors.catalogue_kinds``),
    read once per statement."""
    parts = ["true"]
    if ind.kinds or ind.polarity:
        _literal_list(ind.kinds, CatalogueItem.Kind.values)
        if ind.polarity:
            _literal_list([ind.polarity], CatalogueItem.Polarity.values)
        # The item ids of those kinds: no join to the catalogue for every record.
        ids = sorted(
            pk
            for pk, (kind, polarity) in catalogue.items()
            if (not ind.kinds or kind in ind.kinds)
            and (not ind.polarity or polarity == ind.polarity)
        )
        parts.append(f"x.catalogue_item_id IN ({', '.join(str(int(i)) for i in ids)})" if ids
                     else "false")  # fmt: skip
    if ind.severities:
        parts.append(f"x.severity IN ({_literal_list(ind.severities, Severity.values)})")
    if ind.max_age_days is not None:
        parts.append(f"x.day > %(as_of)s::date - {int(ind.max_age_days)}")
    return " AND ".join(parts)


def _count_expr(ind: Ind) -> str:
    if ind.source == Indicator.Source.RECORDS:
        return f"COALESCE(rec.i{ind.id}, 0)"
    if ind.source == Indicator.Source.STANDING:
        flag = _literal_list([ind.flag], STANDING_FLAGS).strip("'")
        return f"COALESCE(st.{flag}::int, 0)"
    if ind.source == Indicator.Source.COMMITMENTS:
        flag = _literal_list([ind.flag], COMMITMENT_FLAGS).strip("'")
        return f"COALESCE(com.{flag}, 0)::int"
    return "COALESCE(dis.verified, 0)::int"


def _cents(value: Decimal) -> int:
    """A model's number in hundredths, exactly (weights, caps and bands have two places)."""
    cents = Decimal(value) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has more than two decimal places")
    return int(cents)


def _score_expr(model: Model) -> str:
    """The score in hundredths, in integer arithmetic: exact, as every number has two
    places and counts are whole, and several times cheaper than numeric per entity."""
    effects = []
    for position, ind in enumerate(model.indicators, start=1):
        points = f"({_cents(ind.weight)}::bigint * inputs[{position}])"
        if ind.max_effect is not None:
            cap = _cents(ind.max_effect)
            points = f"LEAST({cap}::bigint, GREATEST({-cap}::bigint, {points}))"
        effects.append(points)
    total = " + ".join([f"{_cents(model.base)}::bigint", *effects])
    return f"LEAST({_cents(model.cap)}::bigint, GREATEST(0::bigint, {total}))"


def _grade_expr(model: Model) -> str:
    return (
        f"CASE WHEN cents >= {_cents(model.band_a)} THEN 'A' "
        f"WHEN cents >= {_cents(model.band_b)} THEN 'B' "
        f"WHEN cents >= {_cents(model.band_c)} THEN 'C' ELSE 'D' END"
    )


def _model_case(models: Sequence[Model]) -> str:
    """The model each entity is rated with: the longest industry code its own starts with."""
    public = next(m for m in models if not m.industry)
    whens = [
        f"WHEN e.industry LIKE '{m.industry}%%' THEN {m.id}"
        for m in models
        if m.industry and m.industry.isalnum()
    ]
    return f"CASE {' '.join(whens)} ELSE {public.id} END" if whens else str(public.id)


def _per_model(models: Sequence[Model], expr: Callable[[Model], str], column: str) -> str:
    if len(models) == 1:
        return expr(models[0])
    whens = " ".join(f"WHEN {m.id} THEN {expr(m)}" for m in models)
    return f"CASE {column} {whens} END"


def record_counts_sql(models: Sequence[Model], entity_filter: Callable[[str], str]) -> str | None:
    """Per entity ``entity_filter`` selects, the count of its records in force for every
    record indicator of ``models`` (columns entity_id, i<indicator id>), read from the entities'
    slice of one index. None when the models count no records. Parameters as_at, as_of and
    the filter's own."""
    catalogue = registry_selectors.catalogue_kinds()
    counts = [
        (f"i{int(ind.id)}", _record_condition(ind, catalogue))
        for m in models
        for ind in m.indicators
        if ind.source == Indicator.Source.RECORDS
    ]
    return registry_selectors.record_counts_sql(entity_filter, counts) if counts else None


def rating_sql(models: Sequence[Model], run_id: int, entity_filter: Callable[[str], str]) -> str:
    """One INSERT that rates the entities ``entity_filter`` selects (a condition on the column
    it is given): their record counts, read from the credit record's rating index, and the
    small per-entity sources; parameters run, as_at, as_of and the filter's own. A plain
    insert: the chunk's row lock and done flag let no entity be rated twice in a run, and the
    unique (run, entity) index would refuse it (ON CONFLICT costs several times as much)."""
    indicators = [ind for m in models for ind in m.indicators]
    sources = {ind.source for ind in indicators}
    ctes = [
        f"""ents AS (
            SELECT e.uscc, {_model_case(models)} AS model_id
            FROM registry_marketentity e
            WHERE ({entity_filter("e.uscc")}) AND e.status <> 'deregistered'
              AND e.created_at <= %(as_at)s
        )"""
    ]
    # The filter on the summary too, so that its index reads the chunk's slice only.
    joins = [
        "LEFT JOIN registry_entitystanding st ON st.entity_id = ents.uscc "
        f"AND ({entity_filter('st.entity_id')})"
    ]
    counts = record_counts_sql(models, entity_filter)
    if counts is not None:
        ctes.append(f"rec AS ({counts})")
        joins.append("LEFT JOIN rec ON rec.entity_id = ents.uscc")
    if Indicator.Source.COMMITMENTS in sources:
        sql = commitment_selectors.fulfilment_counts_sql(entity_filter("c.entity_id"))
        ctes.append(f"com AS ({sql})")
        joins.append("LEFT JOIN com ON com.entity_id = ents.uscc")
    if Indicator.Source.DISCLOSURES in sources:
        sql = commitment_selectors.verified_disclosure_counts_sql(entity_filter("d.entity_id"))
        ctes.append(f"dis AS ({sql})")
        joins.append("LEFT JOIN dis ON dis.entity_id = ents.uscc")

    def inputs(m: Model) -> str:
        return "ARRAY[" + ", ".join(_count_expr(i) for i in m.indicators) + "]::integer[]"

    # OFFSET 0 keeps each step a subquery of its own: inlined, the inputs array would be
    # built again for every indicator that reads it, and the score again for every band.
    ctes.append(
        f"""counted AS (
            SELECT ents.uscc, ents.model_id, COALESCE(st.grade, '') AS previous_grade,
                   {_per_model(models, inputs, "ents.model_id")} AS inputs
            FROM ents {" ".join(joins)}
            OFFSET 0
        )"""
    )
    ctes.append(
        f"""scored AS (
            SELECT counted.*, {_per_model(models, _score_expr, "model_id")} AS cents
            FROM counted
            OFFSET 0
        )"""
    )
    return f"""
        WITH {", ".join(ctes)}
        INSERT INTO ratings_rating
            (run_id, entity_id, model_id, inputs, score, grade, previous_grade)
        SELECT %(run)s, uscc, model_id, inputs, cents / 100.0,
               {_per_model(models, _grade_expr, "model_id")}, previous_grade
        FROM scored
    """
