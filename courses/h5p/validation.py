"""H5P package validation, equal to H5P core's ``H5PValidator::isValidPackage()``. Pure: no Django imports.

Input is an extracted package (a directory and the relative paths in it); output is a ``PackageInfo`` or a
``PackageError`` naming the file and the rule. See docs/h5p.md for the rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from courses.h5p import svg
from courses.h5p.errors import PackageError

CORE_API = (1, 28)

# H5PCore::$defaultContentWhitelist and $defaultLibraryWhitelistExtras.
CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc docx "
    "xls xlsx ppt pptx odt ods odp csv diff patch swf md textile vtt webvtt gltf glb".split()
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
HTML_EXTENSIONS = frozenset({"html", "htm", "xhtml", "shtml", "svgz"})

LICENSES = {
    "CC BY", "CC BY-SA", "CC BY-ND", "CC BY-NC", "CC BY-NC-SA", "CC BY-NC-ND", "CC0 1.0", "GNU GPL", "PD",
    "ODC PDDL", "CC PDM", "U", "C",
}
LANGUAGE = re.compile(r"^[-a-zA-Z]{1,10}$")
MACHINE_NAME = re.compile(r"^[\w0-9\-\.]{1,255}$")
FOLDER_NAME = re.compile(r"^[\w0-9\-\.]{1,255}$")
LANGUAGE_FILE = re.compile(r"^(-?[a-z]+){1,7}\.json$")
EMBED_TYPES = {"div", "iframe"}


@dataclass(frozen=True)
class LibraryInfo:
    folder: str
    machine_name: str
    major: int
    minor: int
    patch: int
    title: str
    runnable: bool
    data: dict[str, Any]
    files: tuple[str, ...]  # paths relative to the library folder

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.machine_name, self.major, self.minor)

    @property
    def ident(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"


@dataclass(frozen=True)
class PackageInfo:
    title: str
    main_library: tuple[str, int, int]
    h5p: dict[str, Any]
    content: dict[str, Any]
    libraries: tuple[LibraryInfo, ...]
    content_files: tuple[str, ...]  # paths relative to content/ (content.json included)
    dependencies: frozenset[tuple[str, int, int]] = field(default_factory=frozenset)
    sanitised_svgs: tuple[str, ...] = ()


def _ext(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


@dataclass(frozen=True)
class JsonLimits:
    """Bounds for every JSON file the server parses: its size (checked before reading it) and its nesting."""

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 100


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0, ``[]`` is 1). Iterative: no recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
                         if isinstance(child, dict | list))
    return deepest


def _load_json(root: Path, rel: str, limits: JsonLimits) -> Any:
    """Parse one JSON file of the package, refusing it if it is too large (before reading it) or nests too
    deeply (the C parser's own recursion guard included, so a 100,000-level file is a refusal, not a crash)."""
    path = root / rel
    if path.stat().st_size > limits.max_bytes:
        raise PackageError("json-too-large", rel, limit=limits.max_bytes)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError("invalid-json", rel) from exc
    except RecursionError as exc:
        raise PackageError("json-too-deep", rel, limit=limits.max_depth) from exc
    if json_depth(data) > limits.max_depth:
        raise PackageError("json-too-deep", rel, limit=limits.max_depth)
    return data


def _int(value: Any, rel: str, name: str) -> int:
    if isinstance(value, bool):
        raise PackageError("invalid-field", rel, field=name)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise PackageError("invalid-field", rel, field=name)


def _dependency_list(value: Any, rel: str, name: str) -> list[tuple[str, int, int]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PackageError("invalid-field", rel, field=name)
    result = []
    for dep in value:
        if not isinstance(dep, dict) or not MACHINE_NAME.match(str(dep.get("machineName", ""))):
            raise PackageError("invalid-field", rel, field=name)
        result.append((dep["machineName"], _int(dep.get("majorVersion"), rel, name),
                       _int(dep.get("minorVersion"), rel, name)))
    return result


def validate_h5p_json(data: Any, rel: str = "h5p.json") -> tuple[str, list[tuple[str, int, int]]]:
    if not isinstance(data, dict):
        raise PackageError("invalid-json", rel)
    title = data.get("title")
    if not isinstance(title, str) or not 1 <= len(title) <= 255:
        raise PackageError("invalid-field", rel, field="title")
    if not isinstance(data.get("language"), str) or not LANGUAGE.match(data["language"]):
        raise PackageError("invalid-field", rel, field="language")
    if not isinstance(data.get("mainLibrary"), str) or not MACHINE_NAME.match(data["mainLibrary"]):
        raise PackageError("invalid-field", rel, field="mainLibrary")
    embed = data.get("embedTypes")
    if not isinstance(embed, list) or not embed or not set(embed) <= EMBED_TYPES:
        raise PackageError("invalid-field", rel, field="embedTypes")
    if "preloadedDependencies" not in data:
        raise PackageError("invalid-field", rel, field="preloadedDependencies")
    deps = _dependency_list(data["preloadedDependencies"], rel, "preloadedDependencies")
    deps += _dependency_list(data.get("dynamicDependencies"), rel, "dynamicDependencies")
    if "license" in data and data["license"] not in LICENSES:
        raise PackageError("invalid-field", rel, field="license")
    if "authors" in data and (
        not isinstance(data["authors"], list)
        or not all(isinstance(a, dict) and isinstance(a.get("name"), str) for a in data["authors"])
    ):
        raise PackageError("invalid-field", rel, field="authors")
    for key in ("yearsFrom", "yearsTo", "w", "h"):
        if key in data and data[key] not in ("", None):
            _int(data[key], rel, key)
    if not any(d[0] == data["mainLibrary"] for d in deps):
        raise PackageError("main-library-not-listed", rel)
    return title, deps


def validate_library_json(data: Any, rel: str) -> None:
    if not isinstance(data, dict):
        raise PackageError("invalid-json", rel)
    if not isinstance(data.get("title"), str) or not 1 <= len(data["title"]) <= 255:
        raise PackageError("invalid-field", rel, field="title")
    if not isinstance(data.get("machineName"), str) or not MACHINE_NAME.match(data["machineName"]):
        raise PackageError("invalid-field", rel, field="machineName")
    for key in ("majorVersion", "minorVersion", "patchVersion"):
        if key not in data:
            raise PackageError("invalid-field", rel, field=key)
        if _int(data[key], rel, key) > 99999:
            raise PackageError("invalid-field", rel, field=key)
    if data.get("runnable") not in (0, 1, True, False):
        raise PackageError("invalid-field", rel, field="runnable")
    for key in ("preloadedJs", "preloadedCss"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) and isinstance(v.get("path"), str)
                                                  for v in value):
            raise PackageError("invalid-field", rel, field=key)
    core = data.get("coreApi")
    if core is not None:
        if not isinstance(core, dict):
            raise PackageError("invalid-field", rel, field="coreApi")
        wanted = (_int(core.get("majorVersion"), rel, "coreApi"), _int(core.get("minorVersion", 0), rel, "coreApi"))
        if wanted > CORE_API:
            raise PackageError("core-api-too-new", rel, wanted=f"{wanted[0]}.{wanted[1]}",
                               supported=f"{CORE_API[0]}.{CORE_API[1]}")


def dependency_cycle(graph: Mapping[tuple[str, int, int], Iterable[tuple[str, int, int]]],
                     starts: Iterable[tuple[str, int, int]] | None = None) -> list | None:
    """A dependency cycle in ``graph`` (library -> the libraries it requires) reachable from ``starts`` (default:
    every library), as ``[a, b, ..., a]``, or None.
    Players load libraries in dependency order and give up on a cycle, so a package that makes one is refused.
    Iterative depth-first search (a long chain cannot exhaust the stack)."""
    done: set = set()
    for start in sorted(graph if starts is None else starts):
        if start in done or start not in graph:
            continue
        path = [start]
        on_path = {start}
        stack = [iter(sorted(set(graph.get(start, ()))))]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            if child in on_path:
                return [*path[path.index(child):], child]
            if child in done or child not in graph:
                continue
            path.append(child)
            on_path.add(child)
            stack.append(iter(sorted(set(graph.get(child, ())))))
    return None


def validate_package(
    root: Path,
    paths: list[str],
    *,
    installed: Mapping[tuple[str, int, int], Iterable[tuple[str, int, int]]] | None = None,
    content_svg: str = "sanitise",
    json_limits: JsonLimits | None = None,
) -> PackageInfo:
    """Validate the package extracted into ``root`` (``paths`` relative to it). SVGs in content/ are
    sanitised in place when ``content_svg == "sanitise"``, refused when it is ``"refuse"``."""
    root = Path(root)
    installed = installed or {}
    json_limits = json_limits or JsonLimits()
    names = set(paths)
    if "h5p.json" not in names:
        raise PackageError("missing-h5p-json", "h5p.json")
    if "content/content.json" not in names:
        raise PackageError("missing-content-json", "content/content.json")

    content_files: list[str] = []
    library_files: dict[str, list[str]] = {}
    sanitised: list[str] = []
    for rel in sorted(names):
        parts = rel.split("/")
        if len(parts) == 1:
            continue  # top-level files other than h5p.json are ignored, as in core
        top, ext = parts[0], _ext(rel)
        if top == "content":
            if ext in HTML_EXTENSIONS:
                raise PackageError("html-in-content", rel)
            if ext == "svg":
                if content_svg != "sanitise":
                    raise PackageError("svg-in-content", rel)
                data = (root / rel).read_bytes()
                try:
                    clean = svg.sanitise(data)
                except svg.UnsafeSvg as exc:
                    raise PackageError("invalid-svg", rel) from exc
                if clean != data:
                    (root / rel).write_bytes(clean)
                    sanitised.append(rel)
            elif ext not in CONTENT_EXTENSIONS:
                raise PackageError("content-extension", rel, extension=ext or "-")
            content_files.append(rel[len("content/"):])
            continue
        if ext in HTML_EXTENSIONS or ext not in LIBRARY_EXTENSIONS:
            raise PackageError("library-extension", rel, extension=ext or "-")
        if ext == "svg":
            try:
                if svg.has_active_content((root / rel).read_bytes()):
                    raise PackageError("svg-script", rel)
            except svg.UnsafeSvg as exc:
                raise PackageError("invalid-svg", rel) from exc
        library_files.setdefault(top, []).append("/".join(parts[1:]))

    h5p = _load_json(root, "h5p.json", json_limits)
    title, deps = validate_h5p_json(h5p)
    content = _load_json(root, "content/content.json", json_limits)
    if not isinstance(content, dict):
        raise PackageError("invalid-json", "content/content.json")

    libraries: list[LibraryInfo] = []
    for folder, files in sorted(library_files.items()):
        if not FOLDER_NAME.match(folder):
            raise PackageError("library-folder-name", folder + "/")
        if "library.json" not in files:
            raise PackageError("missing-library-json", f"{folder}/library.json")
        rel = f"{folder}/library.json"
        data = _load_json(root, rel, json_limits)
        validate_library_json(data, rel)
        major, minor = int(data["majorVersion"]), int(data["minorVersion"])
        if folder not in (data["machineName"], f"{data['machineName']}-{major}.{minor}"):
            expected = f"{data['machineName']}-{major}.{minor}"
            raise PackageError("library-folder-mismatch", folder + "/", expected=expected)
        if "semantics.json" in files:
            semantics = _load_json(root, f"{folder}/semantics.json", json_limits)
            if not isinstance(semantics, list):
                raise PackageError("invalid-json", f"{folder}/semantics.json")
        for file in files:
            if file.startswith("language/") and file.count("/") == 1:
                lang = file.split("/", 1)[1]
                if not LANGUAGE_FILE.match(lang):
                    raise PackageError("language-file-name", f"{folder}/{file}")
                _load_json(root, f"{folder}/{file}", json_limits)
        file_set = set(files)
        for key in ("preloadedJs", "preloadedCss"):
            for item in data.get(key, []):
                path = item["path"][2:] if item["path"].startswith("./") else item["path"]
                if path not in file_set:
                    raise PackageError("missing-preloaded-file", f"{folder}/{item['path']}")
        libraries.append(LibraryInfo(
            folder=folder, machine_name=data["machineName"], major=major, minor=minor,
            patch=int(data["patchVersion"]), title=data["title"], runnable=bool(data.get("runnable")),
            data=data, files=tuple(sorted(files)),
        ))

    in_package = {lib.key: lib for lib in libraries}
    available = set(in_package) | set(installed)
    needed: set[tuple[str, int, int]] = set()
    todo = [(d, "h5p.json") for d in deps]
    for lib in libraries:
        rel = f"{lib.folder}/library.json"
        for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
            for dep in _dependency_list(lib.data.get(key), rel, key):
                if dep not in available:
                    raise PackageError("missing-dependency", rel, library=f"{dep[0]} {dep[1]}.{dep[2]}")
    # The closure the player needs: h5p.json's dependencies and, transitively, their preloaded ones.
    while todo:
        dep, rel = todo.pop()
        if dep in needed:
            continue
        if dep not in available:
            raise PackageError("missing-dependency", rel, library=f"{dep[0]} {dep[1]}.{dep[2]}")
        needed.add(dep)
        lib = in_package.get(dep)
        if lib is None:
            todo.extend((d, rel) for d in installed[dep])
        else:
            rel = f"{lib.folder}/library.json"
            for key in ("preloadedDependencies", "dynamicDependencies"):
                todo.extend((d, rel) for d in _dependency_list(lib.data.get(key), rel, key))

    cycle = dependency_cycle(
        {key: [d for k in ("preloadedDependencies", "dynamicDependencies")
               for d in _dependency_list(lib.data.get(k), f"{lib.folder}/library.json", k)]
         for key, lib in in_package.items()}
        | {key: list(value) for key, value in installed.items() if key not in in_package}
    )
    if cycle:
        first = in_package.get(cycle[0])
        raise PackageError("dependency-cycle", f"{first.folder}/library.json" if first else "h5p.json",
                           cycle=" → ".join(f"{m} {a}.{b}" for m, a, b in cycle))

    main = next(d for d in deps if d[0] == h5p["mainLibrary"])
    return PackageInfo(
        title=title, main_library=main, h5p=h5p, content=content, libraries=tuple(libraries),
        content_files=tuple(content_files), dependencies=frozenset(needed), sanitised_svgs=tuple(sanitised),
    )
