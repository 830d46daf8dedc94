"""The demo departments: ten kinds in each demo province, and their codes."""

from __future__ import annotations

from dataclasses import dataclass

from .regions import PROVINCE_ABBR


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


def departments_ensure(actor) -> dict[str, object]:
    """The demo departments, created through the service unless one with the code exists."""
    # Here rather than at the top: the specs above stay importable without Django (the pure
    # generator and the benches use them).
    from registry.models import Department
    from registry.services import department_create

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
