"""Holds one app places on items another app acts on, asked without importing the app that
places them (the layers of docs/architecture.md §3 keep sibling apps apart).

Objections mark a record, decision or listing "异议处理中" while it is checked (33/22);
restoration must not decide such an item meanwhile (the objection may decide it otherwise).
The app that places holds registers a provider in its ``AppConfig.ready``; the app that
respects them asks ``held``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# kind ("record", "decision", "listing") and ids -> the ids of those held
Provider = Callable[[str, list[int]], set[int]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def held(kind: str, ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` of ``kind`` that some app holds."""
    wanted = [int(i) for i in ids if i is not None]
    found: set[int] = set()
    if not wanted:
        return found
    for provider in _providers:
        found |= provider(kind, wanted)
    return found
