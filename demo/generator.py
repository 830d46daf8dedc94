"""The generator: ``generate()`` is pure and deterministic.

From (entities, seed, records and decisions per entity, as-of date, catalogue, publicity rules,
working-day calendar) it yields the same market entities, persons, roles, credit records,
administrative decisions and publicity windows every time, in chunks, without touching the
database. USCCs carry GB 32100 check characters and kind-consistent authority/type codes;
resident ID numbers carry GB 11643 check characters and region codes that were valid in the
birth year; every code comes from stdnum's GB/T 2260 table. Decisions (2025 to the as-of date)
are left as the services and the clock jobs would leave them: published on time or late with
their record and window, awaiting publication, flagged overdue with an alert, expired, or
withdrawn with a revocation (that half of the class is ``records.RecordMaker``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping

from stdnum.cn import ric

from registry.uscc import ALPHABET

from .departments import DEMO_REGIONS, department_code, department_specs
from .records import RecordMaker
from .regions import County, counties, province_short
from .specs import (
    DEMO_AS_OF,
    ESTABLISHED_FROM_YEAR,
    ESTABLISHED_TO_YEAR,
    MODERN_CODES_FROM,
    CatalogueRule,
    Chunk,
    EntitySpec,
    PersonSpec,
    PublicityPolicy,
    Rng,
    RoleSpec,
    Table,
    WorkingDays,
    days_in,
    decisions_from,
    default_catalogue,
    default_publicity,
    org_check,
    weighted,
    with_check,
)
from .words import (
    BRAND_CHARS,
    COOPERATIVE_TRADES,
    DECISION_CHANGES,
    DECISION_KINDS,
    DECISION_OUTCOMES,
    ENTERPRISE_INDUSTRIES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    INDIVIDUAL_TRADES,
    INDUSTRY_WORDS_FOR_ASSOCIATIONS,
    INSPECTION_RESULTS,
    KIND_CODES,
    MARKET_KINDS,
    PUBLIC_INSTITUTIONS,
    RECORD_KINDS,
    ROADS,
    SERIOUS_PENALTIES,
    STATE_ORGAN_BUREAUS,
    SUFFIXES,
    SURNAMES,
)


class Generator(RecordMaker):
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
        self.rng = Rng(seed)
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
            pools.append(Table.of(pool, weights))
            shares.append(share)
        self.regions = Table.of(pools, shares)
        self.kind_codes = Table.of(*weighted(KIND_CODES))
        self.enterprise_industries = Table.of(*weighted(ENTERPRISE_INDUSTRIES, at=2))
        self.individual_trades = Table.of(*weighted(INDIVIDUAL_TRADES, at=2))
        self.cooperative_trades = Table.of(*weighted(COOPERATIVE_TRADES, at=2))
        self.institutions = Table.of(*weighted(PUBLIC_INSTITUTIONS))
        self.suffixes = Table.of(*weighted(SUFFIXES))
        self.inspection_results = Table.of(*weighted(INSPECTION_RESULTS))
        self.record_kinds: dict[str, Table | None] = {}
        for kind in sorted({k for _p, k, _w in KIND_CODES}):
            allowed = [
                (code, w) for code, w, kinds in RECORD_KINDS if kind in kinds and code in catalogue
            ]
            self.record_kinds[kind] = Table.of(*weighted(allowed)) if allowed else None
        self.decision_kinds: dict[str, Table | None] = {}
        for kind in sorted({k for _p, k, _w in KIND_CODES}):
            allowed = [
                (code, w)
                for code, w, kinds in DECISION_KINDS
                if kind in kinds and code in catalogue and code in self.decision_kind
            ]
            self.decision_kinds[kind] = Table.of(*weighted(allowed)) if allowed else None
        self.outcomes = Table.of(*weighted(DECISION_OUTCOMES))
        self.changes = Table.of(*weighted(DECISION_CHANGES))
        self.serious_penalties = Table.of(*weighted(SERIOUS_PENALTIES))
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
            code = with_check(prefix + county.code + body + org_check(body))
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
            dt.date(year, month, rng.randint(1, days_in(year, month))),
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
            day = rng.randint(1, days_in(year, month))
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
    # Pure helpers, one source of truth; imported here so the generator loads without Django.
    from registry.services import DECISION_CATALOGUE, add_months

    gen = Generator(
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
