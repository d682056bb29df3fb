"""Data flows one way: corpus → index → assistant → app/eval. A lower layer never imports a higher one."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RANK = {"corpus": 0, "index": 1, "assistant": 2, "eval": 3, "webui": 3, "app": 3, "cli": 4}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _layer_files():
    for layer in ("corpus", "index", "assistant", "eval", "webui"):
        for path in sorted((ROOT / layer).rglob("*.py")):
            yield layer, path


@pytest.mark.parametrize("layer, path", list(_layer_files()), ids=lambda v: str(v).rsplit("/main/", 1)[-1])
def test_no_upward_imports(layer, path):
    upward = {name for name in _imports(path) if RANK.get(name, -1) > RANK[layer]}
    assert not upward, f"{path.relative_to(ROOT)} ({layer}) imports higher layer(s) {sorted(upward)}"


def test_only_settings_reads_the_environment():
    offenders = []
    for _, path in _layer_files():
        text = path.read_text(encoding="utf-8")
        if "os.environ[" in text or "os.getenv(" in text or "os.environ.get(" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"configuration must come from settings.py, not {offenders}"
