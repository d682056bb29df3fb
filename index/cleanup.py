"""Removing builds that are neither live nor the previous one, and leftovers of failed builds."""
from __future__ import annotations

import re
import shutil

from index.store import IndexUnavailableError

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def remove_old_builds(paths, store, keep: list[str], prefix: str, keep_names: set[str]) -> None:
    """Remove builds (folders, embedded stores, server collections) that are neither live nor the
    previous one, and leftovers of failed builds."""
    if store.label != "embedded":
        try:
            for name in store.collection_names():
                if name.startswith(prefix) and name not in keep_names:
                    store.delete(name)
        except IndexUnavailableError:
            pass
    legacy = paths.data_dir / "chroma"                  # one shared embedded store (older layout)
    if (legacy / "chroma.sqlite3").exists():
        (legacy / "chroma.sqlite3").unlink()
        for folder in legacy.iterdir():
            if folder.is_dir() and _UUID.match(folder.name):
                shutil.rmtree(folder, ignore_errors=True)
    stores = paths.data_dir / "chroma" / paths.key
    for parent in (paths.builds, stores):
        if parent.exists():
            for folder in parent.iterdir():
                if folder.is_dir() and folder.name not in keep:
                    shutil.rmtree(folder, ignore_errors=True)

