"""The generator's second half: plain credit records, administrative decisions and what became
of them (published on time or late, flagged overdue, changed, withdrawn), and publicity windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from .departments import DepartmentSpec, department_code
from .regions import PROVINCE_ABBR, county_by_code
from .specs import (
    RECORDS_FROM,
    Body,
    CatalogueRule,
    Chunk,
    DecisionSpec,
    EntitySpec,
    PublicityPolicy,
    RecordSpec,
    Rng,
    Table,
    WindowSpec,
    WorkingDays,
    at,
)
from .words import (
    FIXED_DEPARTMENTS,
    INSPECTIONS,
    LICENCES,
    MARKET_KINDS,
    NIGHTLY_JOB_MINUTES,
    PENALTY_SEVERITIES,
    TIER_SEVERITIES,
    VIOLATIONS,
)


class RecordMaker:
    """The records and decisions half of ``generator.Generator``, which sets up these
    attributes and draws the entities the methods below write about (a mixin, so that the
    generator reads as two modules of one class)."""

    rng: Rng
    as_of: dt.date
    catalogue: Mapping[str, CatalogueRule]
    publicity: PublicityPolicy
    calendar: WorkingDays
    add_months: Callable[[dt.date, int], dt.date]
    records_per_entity: int
    decisions_per_entity: float
    decisions_from: dt.date
    decision_kind: dict[str, str]  # catalogue code -> Decision.kind
    record_kinds: dict[str, Table | None]
    decision_kinds: dict[str, Table | None]
    inspection_results: Table
    outcomes: Table
    changes: Table
    serious_penalties: Table
    doc_serials: dict[tuple[str, str, int], int]
    record_count: int
    decision_count: int

    # -- records --
    def severity(self, code: str, weights: list[tuple[str, int]]) -> str:
        allowed = self.catalogue[code].severities or ("none",)
        candidates = [(s, w) for s, w in weights if s in allowed] or [(s, 1) for s in allowed]
        return self.rng.choices([s for s, _w in candidates], [w for _s, w in candidates])[0]

    def scope(self, code: str, severity: str) -> str:
        scope = self.catalogue[code].scope
        # Warnings are never published (docs/architecture.md §5): shared between departments at
        # most.
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
    ) -> Body:
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
        return Body(
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

    def new_record(self, uscc: str, code: str, body: Body, **fields) -> RecordSpec:
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
            at(decision + dt.timedelta(days=rng.randint(0, 3)), rng.randint(8 * 60 + 30, 18 * 60)),
            at(self.as_of, 18 * 60),
        )
        published = None
        if scope == "public":
            published = min(
                recorded + dt.timedelta(minutes=rng.randint(5, 4 * 24 * 60)),
                at(self.as_of, 23 * 60),
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
        recorded = at(day, rng.randint(8 * 60 + 30, 17 * 60))

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
            spec.flagged_at = at(due + dt.timedelta(days=1), rng.randint(0, 59))
        if published_day is None:
            return

        if published_day == day:
            published = min(
                recorded + dt.timedelta(minutes=rng.randint(10, 300)), at(day, 23 * 60 + 30)
            )
        else:
            published = at(published_day, rng.randint(8 * 60 + 30, 18 * 60))
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
                changed = at(change_day, rng.randint(9 * 60, 17 * 60 + 30))
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
                        Body(
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
            stops.append((at(shown_until + dt.timedelta(days=1), NIGHTLY_JOB_MINUTES), "expired"))
        if changed is not None:
            stops.append((changed, "withdrawn"))
        stopped_at, stop_reason = min(stops) if stops else (None, "")
        # The nightly job opens restoration from the minimum period, unless display stopped.
        opens = at(restoration_from, NIGHTLY_JOB_MINUTES) if restoration_from else None
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
        county = county_by_code().get(entity.region)
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
            at(self.as_of, 18 * 60),
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
