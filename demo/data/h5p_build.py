"""Build the demo's H5P packages: our own Chinese content about the policy, the libraries from real packages.

Each folder in ``h5p_content/`` holds the two files of an H5P package that are content (``h5p.json`` and
``content.json``), written for this project. The content-type libraries (JavaScript, MIT) come from the shared
sample packages: a package is the content plus every library folder its dependencies reach (preloaded,
dynamic and editor dependencies, as the importer checks them), so nothing else of a sample's content ships.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "h5p_content"
DEPENDENCY_KEYS = ("preloadedDependencies", "dynamicDependencies", "editorDependencies")


def _key(dep: dict) -> str:
    return f"{dep['machineName']}-{int(dep['majorVersion'])}.{int(dep['minorVersion'])}"


def library_index(samples: Path) -> dict[str, tuple[Path, dict]]:
    """Every library folder in the sample packages: ``"H5P.Question-1.5"`` → (package, its library.json)."""
    index: dict[str, tuple[Path, dict]] = {}
    for package in sorted(samples.glob("*.h5p")):
        with zipfile.ZipFile(package) as archive:
            for name in archive.namelist():
                folder, _, rest = name.partition("/")
                if rest == "library.json" and folder not in index:
                    index[folder] = (package, json.loads(archive.read(name)))
    return index


def library_folders(h5p: dict, index: dict[str, tuple[Path, dict]]) -> list[str]:
    """The library folders a package with this ``h5p.json`` needs, found in ``index``."""
    needed: list[str] = []
    todo = list(h5p["preloadedDependencies"])
    while todo:
        key = _key(todo.pop())
        if key in needed:
            continue
        if key not in index:
            raise LookupError(f"no sample package has the library {key}")
        needed.append(key)
        library = index[key][1]
        for dep_key in DEPENDENCY_KEYS:
            todo.extend(library.get(dep_key) or [])
    return sorted(needed)


def build(name: str, samples: Path, index: dict[str, tuple[Path, dict]] | None = None) -> bytes:
    """The .h5p file (zip bytes) of the content folder ``h5p_content/<name>``."""
    index = index if index is not None else library_index(samples)
    folder = CONTENT_DIR / name
    h5p = json.loads((folder / "h5p.json").read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("h5p.json", json.dumps(h5p, ensure_ascii=False))
        out.writestr("content/content.json", (folder / "content.json").read_text(encoding="utf-8"))
        for library in library_folders(h5p, index):
            with zipfile.ZipFile(index[library][0]) as source:
                for entry in source.infolist():
                    if entry.filename.startswith(f"{library}/") and not entry.is_dir():
                        out.writestr(entry.filename, source.read(entry))
    return buffer.getvalue()
