"""The direction of imports: the contracts in pyproject.toml ([tool.importlinter]) kept, and no import cycle anywhere.

Layers only hold if something fails when an import goes up; these tests are
that something, run with the rest of the suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]

#: Runs import-linter's own command (its ``lint-imports`` entry point) with this interpreter, wherever its scripts are.
LINT_IMPORTS = (
    "import sys\n"
    "from importlib.metadata import entry_points\n"
    "(command,) = entry_points(group='console_scripts', name='lint-imports')\n"
    "sys.exit(command.load()())\n"
)


def test_import_contracts_are_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_is_on_an_import_cycle() -> None:
    """No module imports one that imports it back, directly or not, lazy imports included (annotations' imports are not).

    The acyclic_siblings contract compares a package's children only; a cycle
    through a package's own ``__init__`` (the package root's ``view`` imports
    the viewer) is seen here.
    """
    graph = grimp.build_graph("logview", exclude_type_checking_imports=True, cache_dir=None)
    cycles = [
        [module, *graph.find_shortest_chain(importer=imported, imported=module)]
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []
