"""The public credit evaluation (35/6): scores from records, lists, commitments and verified
information under a versioned model; grade bands; explanations that recompute to the stored
score; runs that rate every entity exactly once, in chunks, idempotently."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import Conflict, DomainError, PermissionDenied
from ratings import scoring, selectors, services
from ratings.models import EvaluationModel, Rating, RatingConfig, RatingRun
from registry import selectors as registry_selectors
from registry import services as registry_services
from registry.models import EntityStanding
from registry.tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def run_all(kind: str = "full") -> RatingRun:
    run, chunk_ids = services.run_start(kind=kind)
    for chunk_id in chunk_ids:
        services.chunk_rate(chunk_id)
    run.refresh_from_db()
    return run


def rating(entity, run: RatingRun) -> Rating:
    return Rating.objects.get(entity=entity, run=run)


def penalty(staff, entity, severity: str, days_ago: int = 10):
    day = TODAY() - datetime.timedelta(days=days_ago)
    return factories.record(
        by=staff, ent=entity, severity=severity, conduct_date=day, decision_date=day
    )


def public_v1() -> EvaluationModel:
    return EvaluationModel.objects.get(code="public", version=1)


# --- the default model, scores and explanations ------------------------------------------------
def test_a_clean_entity_gets_the_base_score_and_penalties_lower_it(samr_staff, entity):
    clean = factories.entity(by=samr_staff)
    penalty(samr_staff, entity, "serious")
    penalty(samr_staff, entity, "general")
    run = run_all()
    assert run.status == "finished" and run.rated == 2
    assert (rating(clean, run).score, rating(clean, run).grade) == (Decimal("85.00"), "B")
    punished = rating(entity, run)
    assert punished.score == Decimal("64.00") and punished.grade == "C"  # 85 - 15 - 6
    lines = {ind.code: (n, points) for ind, n, points in selectors.explain(punished).lines}
    assert lines["penalty_serious"] == (1, Decimal("-15.00"))
    assert lines["penalty_general"] == (1, Decimal("-6.00"))
    assert EntityStanding.objects.get(entity=entity).grade == "C"


def test_old_penalties_age_out_and_superseded_or_revoked_records_do_not_count(samr_staff, entity):
    penalty(samr_staff, entity, "minor", days_ago=400)  # the minor indicator counts one year
    revoked = penalty(samr_staff, entity, "serious")
    registry_services.credit_record_supersede(
        actor=samr_staff, record_id=revoked.pk, action="revocation", reason="复议撤销"
    )
    corrected = penalty(samr_staff, entity, "serious")
    registry_services.credit_record_supersede(
        actor=samr_staff,
        record_id=corrected.pk,
        action="correction",
        reason="更正为一般",
        severity="general",
    )
    run = run_all()
    lines = {ind.code: n for ind, n, _p in selectors.explain(rating(entity, run)).lines}
    assert lines["penalty_minor"] == 0 and lines["penalty_serious"] == 0
    assert lines["penalty_general"] == 1


def test_lists_commitments_and_only_verified_information_count(
    samr_staff, entity, entity_user, samr
):
    from commitments import services as commitment_services

    registry_services.standing_update(
        actor=samr_staff, uscc=entity.uscc, reason="列入", attention_listed=True
    )
    submitted = [
        commitment_services.disclosure_submit(
            actor=entity_user,
            uscc=entity.uscc,
            department_code=samr.code,
            kind="contract",
            title=title,
            content="……",
            authenticity_committed=True,
            sharing_consented=True,
        )
        for title in ("核实的", "待核实的")
    ]
    commitment_services.disclosure_decide(
        actor=samr_staff, disclosure_id=submitted[0].pk, status="verified"
    )
    run = run_all()
    lines = {ind.code: n for ind, n, _p in selectors.explain(rating(entity, run)).lines}
    assert lines["attention_list"] == 1
    assert lines["voluntary_verified"] == 1  # the pending one does not count
    assert rating(entity, run).score == Decimal("71.00")  # 85 - 15 + 1


@pytest.mark.parametrize(
    ("score", "grade"),
    [("100", "A"), ("90", "A"), ("89.99", "B"), ("75", "B"), ("74.99", "C"), ("60", "C"),
     ("59.99", "D"), ("0", "D")],
)  # fmt: skip
def test_grade_bands(score, grade):
    model = scoring.model_of(public_v1())
    assert scoring.grade_of(model, Decimal(score)) == grade


def test_scores_are_clamped_to_zero_and_the_cap(samr_staff, entity):
    for _ in range(8):
        penalty(samr_staff, entity, "serious")  # capped at -45
    registry_services.standing_update(
        actor=samr_staff, uscc=entity.uscc, reason="列入", punishment_listed=True
    )
    run = run_all()
    assert rating(entity, run).score == Decimal("0.00")  # 85 - 45 - 40 = 0
    model = scoring.model_of(public_v1())
    big = [0] * len(model.indicators)
    big[[i.code for i in model.indicators].index("red_list")] = 1
    big[[i.code for i in model.indicators].index("reward")] = 10
    assert scoring.explain(model, big).score == Decimal("100.00")  # 85 + 9 + 10 capped


def test_every_stored_rating_recomputes_to_its_score(samr_staff):
    entities = [factories.entity(by=samr_staff) for _ in range(6)]
    for n, entity in enumerate(entities):
        for severity in ["serious", "general", "minor", "warning"][: n % 4 + 1]:
            penalty(samr_staff, entity, severity, days_ago=30 * n)
    run = run_all()
    for row in Rating.objects.filter(run=run):
        explained = selectors.explain(row)
        assert (explained.score, explained.grade) == (row.score, row.grade)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=12, max_size=12))
def test_sql_and_python_score_alike(counts):
    """The statement the nightly run executes and the explanation agree, for any counts."""
    model = scoring.model_of(public_v1())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cents / 100.0, {scoring._grade_expr(model)} FROM (SELECT "
            f"{scoring._score_expr(model)} AS cents FROM (SELECT %s::integer[] AS inputs) t) u",
            [counts],
        )
        sql_score, sql_grade = cursor.fetchone()
    explained = scoring.explain(model, counts)
    assert (sql_score, sql_grade) == (explained.score, explained.grade)


def test_record_kinds_and_polarity_become_catalogue_item_ids():
    """An indicator's kinds and polarity are tested as the ids of the catalogue items that
    have them (one read of the catalogue), never as a join."""
    catalogue = registry_selectors.catalogue_kinds()
    penalty = next(pk for pk, kp in catalogue.items() if kp == ("penalty", "negative"))

    def condition(kinds, polarity):
        ind = scoring.Ind(
            id=1, code="x", name="x", source="records", kinds=kinds, polarity=polarity,
            severities=(), max_age_days=None, flag="", weight=Decimal(1), max_effect=None,
        )  # fmt: skip
        return scoring._record_condition(ind, catalogue)

    assert f"x.catalogue_item_id IN ({penalty})" in condition(("penalty",), "")
    assert f"x.catalogue_item_id IN ({penalty})" in condition(("penalty",), "negative")
    assert "false" in condition(("penalty",), "positive").split(" AND ")
    positive = sorted(pk for pk, (_k, p) in catalogue.items() if p == "positive")
    assert f"x.catalogue_item_id IN ({', '.join(map(str, positive))})" in condition((), "positive")


# --- versions ----------------------------------------------------------------------------------
def test_editing_a_model_makes_a_new_version_and_old_ratings_keep_theirs(samr_staff, entity):
    admin = factories.platform_admin()
    penalty(samr_staff, entity, "serious")
    first = run_all()
    v2 = services.model_revise(actor=admin, model_id=public_v1().pk, base_score="80")
    assert (v2.version, v2.published_at) == (2, None)
    assert v2.indicators.count() == public_v1().indicators.count()
    draft_run = run_all()  # a draft is not used
    assert rating(entity, draft_run).model_id == public_v1().pk
    services.model_publish(actor=admin, model_id=v2.pk)
    second = run_all()
    assert rating(entity, second).model_id == v2.pk
    assert rating(entity, second).score == Decimal("65.00")
    old = rating(entity, first)
    assert old.model_id == public_v1().pk and old.score == Decimal("70.00")
    assert selectors.explain(old).score == Decimal("70.00")  # still explained by v1
    public_v1().refresh_from_db()
    assert EvaluationModel.objects.get(pk=public_v1().pk).base_score == Decimal("85.00")


def test_an_industry_model_refines_the_public_one(samr_staff):
    admin = factories.platform_admin()
    food = factories.entity(by=samr_staff, industry="C14")
    other = factories.entity(by=samr_staff, industry="F51")
    for ent in (food, other):
        penalty(samr_staff, ent, "general")
    industry = services.model_revise(
        actor=admin,
        model_id=public_v1().pk,
        code="food",
        name="食品制造业评价模型",
        industry="C14",
        indicators=[
            {"code": "penalty_any", "name": "行政处罚", "source": "records",
             "catalogue_kinds": ["penalty"], "weight": "-20"},
        ],
    )  # fmt: skip
    services.model_publish(actor=admin, model_id=industry.pk)
    run = run_all()
    assert rating(food, run).model_id == industry.pk
    assert rating(food, run).score == Decimal("65.00")  # 85 - 20
    assert rating(other, run).score == Decimal("79.00")  # public: 85 - 6


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"band_a": "70"}, "invalid_bands"),  # A below B
        ({"cap": "abc"}, "invalid_number"),
        ({"base_score": "120"}, "invalid_base"),
        ({"indicators": []}, "indicators_required"),
        ({"indicators": [{"code": "x", "name": "x", "source": "magic", "weight": "1"}]},
         "indicator_invalid"),
        ({"indicators": [{"code": "x", "name": "x", "source": "records", "weight": "1",
                          "catalogue_kinds": ["nonsense"]}]}, "indicator_invalid"),
        ({"indicators": [{"code": "x", "name": "x", "source": "standing", "weight": "1"}]},
         "indicator_invalid"),
        ({"industry": "C1'4"}, "invalid_industry"),
    ],
)  # fmt: skip
def test_a_bad_model_is_refused_and_nothing_written(changes, code):
    admin = factories.platform_admin()
    before = EvaluationModel.objects.count()
    with pytest.raises(DomainError) as raised:
        services.model_revise(actor=admin, model_id=public_v1().pk, **changes)
    assert raised.value.code == code
    assert EvaluationModel.objects.count() == before


def test_only_platform_administrators_edit_models(samr_staff):
    with pytest.raises(PermissionDenied):
        services.model_revise(actor=samr_staff, model_id=public_v1().pk, base_score="70")


# --- runs --------------------------------------------------------------------------------------
def test_a_run_in_chunks_rates_everyone_once_and_a_chunk_twice_changes_nothing(samr_staff):
    RatingConfig.objects.create(chunk_size=3)
    entities = [factories.entity(by=samr_staff) for _ in range(10)]
    penalty(samr_staff, entities[0], "serious")
    run, chunk_ids = services.run_start()
    assert len(chunk_ids) == 4
    for chunk_id in chunk_ids + chunk_ids:  # every task delivered twice
        services.chunk_rate(chunk_id)
    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.rated) == ("finished", 4, 10)
    ratings = Rating.objects.filter(run=run)
    assert ratings.count() == 10
    assert set(ratings.values_list("entity_id", flat=True)) == {e.uscc for e in entities}
    assert run.grades_changed == 10  # first run: every grade is new
    assert AuditEvent.objects.filter(action="rating_run.finish").count() == 1
    # The grades reach the standing summary, one audit event a chunk with its count.
    standing = dict(EntityStanding.objects.values_list("entity_id", "grade"))
    assert standing == dict(ratings.values_list("entity_id", "grade"))
    events = AuditEvent.objects.filter(action="rating_run.grades")
    assert sorted(e.after["grades_changed"] for e in events) == [1, 3, 3, 3]
    second = run_all()
    assert second.grades_changed == 0
    assert AuditEvent.objects.filter(action="rating_run.grades").count() == 4


def test_one_run_at_a_time(samr_staff, entity):
    services.run_start()
    with pytest.raises(Conflict):
        services.run_start()


def test_a_changed_run_rates_only_what_changed(samr_staff, entity):
    quiet = factories.entity(by=samr_staff)
    run_all()
    penalty(samr_staff, entity, "serious")
    changed = run_all("changed")
    assert set(Rating.objects.filter(run=changed).values_list("entity_id", flat=True)) == {
        entity.uscc
    }
    assert quiet.uscc not in Rating.objects.filter(run=changed).values_list("entity_id", flat=True)
    assert selectors.latest_rating(entity).run_id == changed.pk
    assert EntityStanding.objects.get(entity=entity).grade == "C"  # 85 - 15 = 70


def test_history_by_run_without_an_entity_index(samr_staff, entity):
    """Ratings are keyed (run, entity) and have no index by entity: an entity's history and
    latest rating are read run by run, newest first, skipping the runs that did not rate it."""
    quiet = factories.entity(by=samr_staff)
    first = run_all()
    penalty(samr_staff, entity, "serious")
    changed = run_all("changed")
    assert [r.run_id for r in selectors.entity_ratings(entity)] == [changed.pk, first.pk]
    assert [r.run_id for r in selectors.entity_ratings(quiet)] == [first.pk]
    assert selectors.latest_rating(quiet).run_id == first.pk
    assert Rating.objects.get(pk=(changed.pk, entity.uscc)).grade == "C"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'ratings_rating' ORDER BY 1"
        )
        assert [row[0].split(" USING ")[1] for row in cursor.fetchall()] == [
            "btree (run_id, entity_id)"
        ]


def test_run_progress_and_eta(samr_staff):
    RatingConfig.objects.create(chunk_size=2)
    for _ in range(4):
        factories.entity(by=samr_staff)
    run, chunk_ids = services.run_start()
    services.chunk_rate(chunk_ids[0])
    run.refresh_from_db()
    progress = selectors.run_progress(run)
    assert progress.percent == 50 and progress.eta is not None
    assert services.pending_chunks(run.pk) == chunk_ids[1:]


def test_deregistered_entities_and_entities_after_the_data_point_are_not_rated(samr_staff):
    gone = factories.entity(by=samr_staff)
    registry_services.entity_update(actor=samr_staff, uscc=gone.uscc, status="deregistered")
    run, chunk_ids = services.run_start()
    late = factories.entity(by=samr_staff)  # registered after the run's data point
    for chunk_id in chunk_ids:
        services.chunk_rate(chunk_id)
    rated = set(Rating.objects.filter(run=run).values_list("entity_id", flat=True))
    assert gone.uscc not in rated and late.uscc not in rated


# --- tiers -------------------------------------------------------------------------------------
def test_tier_ratios_are_configuration_and_follow_the_grade():
    admin = factories.platform_admin()
    assert services.tier_ratios() == {
        "A": Decimal("0.0200"), "B": Decimal("0.0500"), "C": Decimal("0.1000"),
        "D": Decimal("0.2000"),
    }  # fmt: skip
    services.tier_set(actor=admin, grade="A", ratio="0.01")
    assert services.tier_ratios()["A"] == Decimal("0.0100")
    for grade, ratio, code in (("A", "0.5", "ratios_out_of_order"), ("E", "0.1", "invalid_grade"),
                               ("B", "2", "invalid_ratio")):  # fmt: skip
        with pytest.raises(DomainError) as raised:
            services.tier_set(actor=admin, grade=grade, ratio=ratio)
        assert raised.value.code == code
    assert services.tier_ratios()["A"] == Decimal("0.0100")


def test_grades_written_by_a_run_do_not_make_the_entity_changed(samr_staff, entity):
    """Only inputs count as changes: the grades a run wrote are not inputs of the next."""
    changed_since = services.runs._changed_since  # the run's own helper, through its module

    first = run_all()
    assert EntityStanding.objects.get(entity=entity).updated_at == first.as_at  # not now()
    assert changed_since(first, timezone.now()) == []
    registry_services.standing_update(
        actor=samr_staff, uscc=entity.uscc, reason="列入", attention_listed=True
    )
    assert changed_since(first, timezone.now()) == [entity.uscc]


def test_settings_change_through_the_service_and_the_admin(client, samr_staff):
    admin = factories.platform_admin()
    with pytest.raises(PermissionDenied):
        services.rating_config_set(actor=samr_staff, public_grades=True, chunk_size=50_000)
    with pytest.raises(DomainError):
        services.rating_config_set(actor=admin, public_grades=True, chunk_size=5)
    assert not RatingConfig.objects.exists()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/ratings/ratingconfig/add/"
    assert client.post(url, {"chunk_size": "abc"}).status_code == 200
    response = client.post(url, {"public_grades": "on", "chunk_size": "20000"})
    assert response.status_code == 302
    assert selectors.rating_config().public_grades and selectors.rating_config().chunk_size == 20000
    for page in ("evaluationmodel", "ratingrun", "supervisiontier", "spotcheckplan", "spotcheck"):
        assert client.get(f"/admin/ratings/{page}/").status_code == 200


def test_a_changed_run_rerates_an_entity_whose_record_aged_out_of_its_window(
    samr_staff, entity, monkeypatch
):
    """The default model counts minor penalties of the last year: a day later, one decided
    364 days ago no longer counts, with no new row anywhere; a changed run must see it."""
    quiet = factories.entity(by=samr_staff)
    penalty(samr_staff, entity, "minor", days_ago=364)
    first = run_all()
    assert rating(entity, first).score < rating(quiet, first).score
    now = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(timezone, "localdate", lambda *a: timezone.localtime(now).date())
    changed = run_all("changed")
    assert list(Rating.objects.filter(run=changed).values_list("entity_id", flat=True)) == [
        entity.uscc
    ]
    assert rating(entity, changed).score == rating(quiet, first).score  # no longer counted


def test_a_changed_run_after_a_new_model_rates_everyone(samr_staff, entity):
    others = [factories.entity(by=samr_staff) for _ in range(2)]
    run_all()
    admin = factories.platform_admin()
    revised = services.model_revise(actor=admin, model_id=public_v1().pk, base_score="80")
    services.model_publish(actor=admin, model_id=revised.pk)
    changed = run_all("changed")
    rated = set(Rating.objects.filter(run=changed).values_list("entity_id", flat=True))
    assert rated == {entity.uscc, *(o.uscc for o in others)}
    assert set(Rating.objects.filter(run=changed).values_list("model_id", flat=True)) == {
        revised.pk
    }


def test_a_changed_run_splits_its_list_so_that_workers_share_it(samr_staff, monkeypatch):
    entities = [factories.entity(by=samr_staff) for _ in range(5)]
    run_all()
    for entity in entities:
        penalty(samr_staff, entity, "general")
    monkeypatch.setattr(services.runs, "CHANGED_MIN_CHUNK", 1)
    changed = run_all("changed")
    assert changed.chunks_total == 3  # 5 entities in chunks of ceil(5 / 4) = 2
    ratings = Rating.objects.filter(run=changed)
    assert sorted(ratings.values_list("entity_id", flat=True)) == sorted(e.uscc for e in entities)
