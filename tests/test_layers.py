"""No module uses another package's ``_private`` names (docs/architecture.md, "Layers").

import-linter checks which modules import which; it cannot see *what* is imported. What several
apps need lives in the shared kit under public names (``credit_portal.web``, ``.api``,
``.admin``) or in an app's public modules; a leading underscore means "this package's own".
This walks the syntax tree of every module of the apps and the project package (tests
included, migrations excluded) and fails on

- ``from <pkg>... import _name``, and
- ``<module of pkg>._name`` attribute access through a name bound to a module by an import,

where ``<pkg>`` is a different top-level package than the importing file's. Dunder names
(``__name__``) are not private. Attribute access on objects (``Model._meta``) is not checked:
only modules' names are an app's own.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every package of the project, from the one list that names them (import-linter's
# root_packages in pyproject.toml): a new app is checked once it is declared there.
PACKAGES = tuple(
    tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_module(dotted: str, root: Path) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _modules(root: Path) -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.relative_to(root).parts
    )


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None for anything that is not a plain name chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def private_uses(path: Path, root: Path = ROOT) -> list[str]:
    """Every use of another top-level package's private name in the module at ``path``."""
    own = path.relative_to(root).parts[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root)
    found: list[str] = []
    modules: dict[str, str] = {}  # a local name bound to a module of another package
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top = node.module.split(".")[0]
            if top == own or top not in PACKAGES:
                continue
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{where}:{node.lineno}: from {node.module} import {alias.name}")
                elif _is_module(f"{node.module}.{alias.name}", root):
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top == own or top not in PACKAGES:
                    continue
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    modules[top] = top
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        parts = _dotted(node)
        if parts is None or parts[0] not in modules:
            continue
        # Follow the chain while it names modules; the first private name of a module is one.
        module = modules[parts[0]]
        for name in parts[1:]:
            if _private(name):
                found.append(f"{where}:{node.lineno}: {module}.{name}")
                break
            if not _is_module(f"{module}.{name}", root):
                break
            module = f"{module}.{name}"
    return sorted(set(found))


def test_no_module_uses_another_packages_private_names() -> None:
    found = [use for path in _modules(ROOT) for use in private_uses(path)]
    assert not found, "private names of another package:\n" + "\n".join(found)


def test_the_walk_sees_both_forms(tmp_path: Path) -> None:
    """Given a scratch tree with both kinds of private use, the walk reports each, and not an
    app's use of its own private names, dunders, or a private attribute of an object."""
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "__init__.py").write_text("")
    (tmp_path / "registry" / "views.py").write_text("def _helper(): ...\n")
    (tmp_path / "ratings").mkdir()
    (tmp_path / "ratings" / "__init__.py").write_text("")
    module = tmp_path / "ratings" / "views.py"
    module.write_text(
        "import registry.views\n"
        "from registry import views as registry_views\n"
        "from registry.views import _helper\n"
        "from registry.models import Entity\n"
        "registry.views._helper()\n"
        "registry_views._helper()\n"
        "registry_views.__name__\n"
        "Entity._meta\n"
    )
    own = tmp_path / "registry" / "forms.py"
    own.write_text("from registry.views import _helper\nfrom . import views\nviews._helper()\n")

    assert private_uses(module, tmp_path) == [
        "ratings/views.py:3: from registry.views import _helper",
        "ratings/views.py:5: registry.views._helper",
        "ratings/views.py:6: registry.views._helper",
    ]
    assert private_uses(own, tmp_path) == []
