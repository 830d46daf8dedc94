"""The modules split along their marked sections stay packages that callers use through one name:
each package re-exports exactly the public names its modules define (so ``from registry.services
import x`` keeps working when a section moves), no module of them grows past the size at which
the sections were split, and no module outside a package imports its private helpers."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "registry.services",
    "registry.imports",
    "discipline.services",
    "commitments.services",
    "ratings.services",
    "restoration.services",
)
# Every package of the project (import-linter's root_packages in pyproject.toml).
APPS = tuple(
    tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
)
# docs/adding-an-app.md §5: a module past ~800 lines becomes a package by its sections.
MAX_LINES = 800


def modules_of(package_name: str) -> list:
    package = importlib.import_module(package_name)
    return [
        importlib.import_module(f"{package_name}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def defined_public_names(module) -> set[str]:
    """Names a module defines at its top level (not those it imports), without a leading _."""
    tree = ast.parse(Path(module.__file__).read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_") and n != "logger"}


@pytest.mark.parametrize("package_name", PACKAGES)
def test_the_package_re_exports_every_public_name_of_its_modules(package_name):
    package = importlib.import_module(package_name)
    defined: set[str] = set()
    for module in modules_of(package_name):
        defined |= defined_public_names(module)
    assert set(package.__all__) == defined
    for name in package.__all__:
        # The same object, not a copy: a module-level value read through the package is the
        # one the section's code uses.
        home = next(m for m in modules_of(package_name) if name in defined_public_names(m))
        assert getattr(package, name) is getattr(home, name), name


@pytest.mark.parametrize("package_name", PACKAGES)
def test_no_module_of_the_package_passes_the_split_size(package_name):
    sizes = {
        module.__name__: len(Path(module.__file__).read_text().splitlines())
        for module in [importlib.import_module(package_name), *modules_of(package_name)]
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_no_module_outside_a_package_imports_its_private_helpers():
    """``_common`` and the underscore names are the package's own (a test of the same app may
    still reach a private helper through its module's attribute, as it did before the split)."""
    packages = "|".join(re.escape(name) for name in PACKAGES)
    imports = re.compile(rf"from (?:{packages})(?:\.\w+)? import (\([^)]*\)|[^\n]*)")
    common = re.compile(rf"(?:{packages})\._common")
    homes = {ROOT.joinpath(*name.split(".")) for name in PACKAGES}
    offenders = []
    for top in (*APPS, "tests", "bench"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if any(home in path.parents for home in homes):
                continue
            text = path.read_text(encoding="utf-8")
            names = [n for group in imports.findall(text) for n in re.findall(r"\w+", group)]
            if common.search(text) or any(n.startswith("_") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
