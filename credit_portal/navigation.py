"""What apps add to the regulator workbench: links in its navigation and cards on its home page.

Each app registers its own in ``AppConfig.ready`` (``register`` for links,
``register_home_cards`` for a card provider), so the workbench shows every installed app's
pages without a lower layer naming a higher one (layering, docs/architecture.md §3). The
navigation is rendered by ``templates/workbench/_nav.html`` (included by
``templates/workbench/base.html``) from ``items_for``, which the context processor
``credit_portal.context_processors.workbench_nav`` hands to every page.

Links are shown in ``order`` (equal orders in registration order, i.e. ``INSTALLED_APPS``). The
bands keep the order the hand-written navigation had and leave room for new apps:

- 10-99: the registry's day-to-day pages (home, to-do, decisions)
- 100-199 commitments, 200-299 discipline, 300-399 ratings; 400-799 for the apps to come
- 900-999: the registry's record and entity pages, last
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    """A link in the workbench navigation, named by its URL name (reversed per request)."""

    label: str | Promise  # a lazy translation: the navigation speaks the request's language
    url_name: str
    order: int
    # Shown when ``url_name`` does not reverse (as ``{% url ... as %}|default:`` did); empty
    # means a wrong name is an error, as with ``{% url %}``.
    fallback_url: str = ""


@dataclass(frozen=True)
class NavLink:
    """A ``NavItem`` resolved for one request: what the template renders."""

    label: str | Promise
    url: str


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    """Add links to the navigation; registering the same link twice keeps one."""
    for item in items:
        if item not in _items:
            _items.append(item)


def items_for(request: HttpRequest | None = None) -> list[NavLink]:
    """The navigation in order, each URL reversed as the ``{% url %}`` tag does (with the
    request's current app, which matters only for instance namespaces)."""
    current_app: str | None = None
    if request is not None:
        current_app = getattr(request, "current_app", None)
        if current_app is None and request.resolver_match is not None:
            current_app = request.resolver_match.namespace
    links = []
    for item in sorted(_items, key=lambda item: item.order):
        try:
            url = reverse(item.url_name, current_app=current_app)
        except NoReverseMatch:
            if not item.fallback_url:
                raise
            url = item.fallback_url
        links.append(NavLink(label=item.label, url=url))
    return links


# --- home cards -------------------------------------------------------------------------------
@dataclass(frozen=True)
class HomeCard:
    """A card on the workbench home: an app's page, with how many items wait there."""

    title: str
    url: str
    description: str
    count: int = 0  # items waiting; shown as a badge, and as a line above the cards
    waiting: str = ""  # that line, e.g. "3 commitments breached this week"


# The argument is the registry's ``Viewer``: this layer cannot import its type.
HomeCardProvider = Callable[[Any], list[HomeCard]]
_home_card_providers: list[HomeCardProvider] = []


def register_home_cards(provider: HomeCardProvider) -> HomeCardProvider:
    """Add a provider of cards for the workbench home (in app order); usable as a decorator."""
    if provider not in _home_card_providers:
        _home_card_providers.append(provider)
    return provider


def cards_for(viewer: Any) -> list[HomeCard]:
    return [card for provider in _home_card_providers for card in provider(viewer)]
