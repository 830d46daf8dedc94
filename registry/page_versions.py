"""The entity page's version (issue 17, docs/scaling.md): a counter in the standing summary
(``EntityStanding.page_version``) that PostgreSQL itself bumps in the statement that writes
anything the public entity page shows, so that a visit reads one row to know whether its cached
page still holds.

Triggers rather than calls in each service: the page shows rows of five apps written by dozens
of services, the admin, imports and nightly jobs; a trigger cannot be forgotten by the next
writer, and it runs in the writer's transaction, so a reader never sees new data under an old
version. The triggers are statement-level with transition tables: a bulk import of a million
decisions bumps each entity once per statement, not once per row.

An app whose table the page shows declares the triggers on its model:
``triggers = page_version_triggers("decision", "SELECT entity_id FROM changed")``, the SQL
naming the entity (USCC) of each changed row of the transition table ``changed``."""

from __future__ import annotations

from collections.abc import Iterable

import pgtrigger

_OPERATIONS = {
    "insert": (pgtrigger.Insert, "new"),
    "update": (pgtrigger.Update, "new"),
    "delete": (pgtrigger.Delete, "old"),
}

# Rows are taken in USCC order, the order standing_grades_sql writes in too, so two
# statements that bump many entities lock them in one order and cannot deadlock each other.
# A row made here says "nothing known against it" like no row at all (registry.models).
BUMP_SQL = """
    INSERT INTO registry_entitystanding AS s
        (entity_id, punishment_listed, attention_listed, red_listed, grade, updated_at,
         page_version)
    SELECT DISTINCT ids.entity_id, false, false, false, '', now(), 1
    FROM ({entity_ids}) AS ids (entity_id)
    WHERE ids.entity_id IS NOT NULL
    ORDER BY 1
    ON CONFLICT (entity_id) DO UPDATE SET page_version = s.page_version + 1;
    RETURN NULL;
"""


def _statement_triggers(name: str, func: str, operations: Iterable[str]) -> list:
    """One AFTER ... FOR EACH STATEMENT trigger per operation (PostgreSQL allows transition
    tables on single-event triggers only), each seeing its rows as ``changed``: the new rows
    for inserts and updates, the old ones for deletes."""
    triggers = []
    for operation in operations:
        event, side = _OPERATIONS[operation]
        triggers.append(
            pgtrigger.Trigger(
                name=f"{name}_{operation}",
                when=pgtrigger.After,
                operation=event,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(**{side: "changed"}),
                func=func,
            )
        )
    return triggers


def page_version_triggers(
    prefix: str, entity_ids: str, operations: Iterable[str] = ("insert", "update", "delete")
) -> list[pgtrigger.Trigger]:
    """Triggers bumping the page version of the entities ``entity_ids`` selects (the USCC of
    each row in ``changed``)."""
    return _statement_triggers(f"{prefix}_page", BUMP_SQL.format(entity_ids=entity_ids), operations)


# The public board's version: one counter for every published decision (the board lists them
# all). A row lock, held to the writer's commit, so that no reader sees the new version before
# the new data; imports (decisions recorded, not published) never take it. The row is made by
# the first bump (a flushed test database has none). Named so that it
# fires after the page triggers of the same statement ("page" < "publication"): every writer
# locks the standing rows, then the counter, and none waits for the other in reverse.
PUBLICATION_SQL = """
    IF EXISTS ({changed_rows}) THEN
        INSERT INTO registry_publicationcounter AS c (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = c.version + 1;
    END IF;
    RETURN NULL;
"""


def publication_triggers(
    prefix: str, changed_rows: str, operations: Iterable[str] = ("insert", "update", "delete")
) -> list[pgtrigger.Trigger]:
    """Triggers bumping ``PublicationCounter`` when ``changed_rows`` (a SELECT over the
    transition table ``changed``) finds a row that is or was on the public board."""
    return _statement_triggers(
        f"{prefix}_publication", PUBLICATION_SQL.format(changed_rows=changed_rows), operations
    )
