"""Load deterministic demo data: ``manage.py seed_demo --entities N --seed S``.

Same N and S give the same USCCs, names, persons, records and administrative decisions every
time. The credit record is append-only, so the command loads only into an empty register: when
any market entity exists it says so and exits 0 without changing anything (use a fresh database
to seed again).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.loader import demo_seed
from demo.specs import DEMO_AS_OF


class Command(BaseCommand):
    help = (
        "生成确定性的演示数据（市场主体、人员、信用记录、行政决定）/ Load deterministic demo "
        "data (market entities, persons, credit records, administrative decisions) into an "
        "empty register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entities", type=int, default=1000, help="market entities (1000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--records-per-entity",
            type=int,
            default=2,
            help="average plain credit records per entity, besides decisions (2)",
        )
        parser.add_argument(
            "--decisions-per-entity",
            type=float,
            default=1.5,
            help="average administrative decisions per entity (1.5); published ones add records",
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help=f"last date in the data (default {DEMO_AS_OF}, never after today)",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="entities per COPY batch (5000)"
        )

    def handle(self, *args, **options) -> None:
        entities = options["entities"]
        if (
            entities < 0
            or options["records_per_entity"] < 0
            or options["decisions_per_entity"] < 0
            or options["chunk_size"] < 1
        ):
            raise CommandError(
                "--entities, --records-per-entity and --decisions-per-entity must be >= 0, "
                "--chunk-size >= 1"
            )
        self.stdout.write(
            f"演示数据 / demo data: {entities:,} entities, seed {options['seed']}, "
            f"~{options['records_per_entity']} records and "
            f"~{options['decisions_per_entity']:g} decisions per entity"
        )
        result = demo_seed(
            entities=entities,
            seed=options["seed"],
            records_per_entity=options["records_per_entity"],
            decisions_per_entity=options["decisions_per_entity"],
            as_of=options["as_of"],
            chunk_size=options["chunk_size"],
            progress=self.stdout.write,
        )
        if not result.created:
            self.stdout.write(self.style.WARNING(result.message))
            return
        seconds = max(result.seconds, 1e-9)
        counts = result.counts
        self.stdout.write(self.style.SUCCESS("演示数据已生成 / demo data loaded:"))
        for key, value in counts.items():
            self.stdout.write(f"  {key:<22} {value:>10,}")
        self.stdout.write(
            f"  {'seconds':<22} {seconds:>10.1f}   "
            f"({counts['entities'] / seconds:,.0f} entities/s, "
            f"{counts['records'] / seconds:,.0f} records/s, "
            f"{counts['decisions'] / seconds:,.0f} decisions/s)"
        )
