"""Load deterministic demo data: ``manage.py seed_demo --entities N --seed S``.

Same N and S give the same USCCs, names, persons and records every time. The credit record is
append-only, so the command loads only into an empty register: when any market entity exists
it says so and exits 0 without changing anything (use a fresh database to seed again).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry import demo


class Command(BaseCommand):
    help = (
        "生成确定性的演示数据（市场主体、人员、信用记录）/ Load deterministic demo data "
        "(market entities, persons, credit records) into an empty register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entities", type=int, default=1000, help="market entities (1000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--records-per-entity",
            type=int,
            default=5,
            help="average credit records per entity (5)",
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help=f"last date in the data (default {demo.DEMO_AS_OF}, never after today)",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="entities per COPY batch (5000)"
        )

    def handle(self, *args, **options) -> None:
        entities = options["entities"]
        if entities < 0 or options["records_per_entity"] < 0 or options["chunk_size"] < 1:
            raise CommandError(
                "--entities and --records-per-entity must be >= 0, --chunk-size >= 1"
            )
        self.stdout.write(
            f"演示数据 / demo data: {entities:,} entities, seed {options['seed']}, "
            f"~{options['records_per_entity']} records per entity"
        )
        result = demo.demo_seed(
            entities=entities,
            seed=options["seed"],
            records_per_entity=options["records_per_entity"],
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
            self.stdout.write(f"  {key:<20} {value:>10,}")
        self.stdout.write(
            f"  {'seconds':<20} {seconds:>10.1f}   "
            f"({counts['entities'] / seconds:,.0f} entities/s, "
            f"{counts['records'] / seconds:,.0f} records/s)"
        )
