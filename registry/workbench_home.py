"""Cards that apps above the registry add to the workbench home. They register a provider in
their AppConfig.ready, so the registry shows their work without importing them (layering,
ARCHITECTURE section 3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .roles import Viewer


@dataclass(frozen=True)
class HomeCard:
    title: str
    url: str
    description: str
    count: int = 0  # items waiting; shown as a badge, and as a line above the cards
    waiting: str = ""  # that line, e.g. "3 commitments breached this week"


Provider = Callable[[Viewer], list[HomeCard]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def cards_for(viewer: Viewer) -> list[HomeCard]:
    return [card for provider in _providers for card in provider(viewer)]
