"""Each package's ``__all__`` names its public modules, and the code outside a package imports only those.

Read from the source with ``ast`` (nothing imported), so that a module that
becomes used from another package, or a name that stops being a module,
shows here rather than in a reader's surprise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.command import ROOT

PACKAGES = [
    "logview.core",
    "logview.core.index",
    "logview.core.parse",
    "logview.core.sources",
    "logview.ui",
    "logview.ui.screens",
    "logview.ui.widgets",
]


def declared_all(path: Path) -> list[str]:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{path} has no __all__")


def imported_names(path: Path) -> set[str]:
    """The dotted names ``path`` imports, with ``from a import b`` as both ``a`` and ``a.b``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_names_its_modules_and_is_used_only_through_them(package: str) -> None:
    directory = ROOT.joinpath(*package.split("."))
    public = declared_all(directory / "__init__.py")
    assert ast.get_docstring(ast.parse((directory / "__init__.py").read_text())), f"{package} says what it is for"
    assert public == sorted(public)
    modules = {path.stem for path in directory.glob("*.py")} | {path.parent.name for path in directory.glob("*/__init__.py")}
    assert set(public) <= modules, f"{package}.__all__ names no module {sorted(set(public) - modules)}"
    used_outside = {
        name.split(".")[package.count(".") + 1]
        for path in (ROOT / "logview").rglob("*.py")
        if not module_name(path).startswith(f"{package}.") and module_name(path) != package
        for name in imported_names(path)
        if name.startswith(f"{package}.")
    } & modules
    assert used_outside <= set(public), f"used from outside {package} but not in its __all__: {sorted(used_outside - set(public))}"


def test_the_api_module_exports_view_only() -> None:
    assert declared_all(ROOT / "logview" / "api.py") == ["view"]
