"""The layers the folders promise: checked by import-linter's contracts in pyproject.toml, and no import cycle
anywhere, so a module can be read (and tested) after the ones it imports. And the tests' own folders: each a
package, so none can shadow the code it tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

from tests.support.server import REPO


def test_import_contracts_are_kept() -> None:
    run = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=REPO, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_no_module_imports_itself_round_about() -> None:
    graph = grimp.build_graph("kiosk", "printers")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append((module, *back))
    assert cycles == []


def test_every_test_folder_is_a_package() -> None:
    """tests/__init__.py says why: without it pytest puts the folder itself on sys.path, and tests/web/kiosk or
    tests/printers would then shadow the real kiosk or printers package."""
    tests = REPO / "tests"
    folders = {path.parent for path in tests.rglob("*.py") if "__pycache__" not in path.parts}
    assert tests in folders and len(folders) >= 10
    assert sorted(str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").is_file()) == []
