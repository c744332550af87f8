"""Writes of courses.h5p: installing packages (libraries + activity), resume state, xAPI statements.

A package is extracted into a temporary directory with limits (``safezip``), validated like H5P core
(``validation``), and only then copied into Django storage. Any refusal raises ``ValidationError`` naming
the file and the rule, and writes nothing.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.h5p import conf, content_filter, messages, safezip, scoring, selectors
from courses.h5p.errors import PackageError
from courses.h5p.models import H5PActivity, H5PLibrary, H5PState, H5PStatement
from courses.h5p.signals import h5p_result_recorded
from courses.h5p.validation import JsonLimits, LibraryInfo, PackageInfo, validate_package
from courses.package_upload import PreparedDir, delete_tree, save_tree, staging_dir
from exams.private_files import private_storage

INSTALL_PERMISSION = "lms_h5p.install_h5p_libraries"


def storage():
    return private_storage(conf.H5P_STORAGE)


def limits() -> safezip.Limits:
    return safezip.Limits(
        max_files=conf.H5P_MAX_FILES,
        max_file_bytes=conf.H5P_MAX_FILE_BYTES,
        max_total_bytes=conf.H5P_MAX_TOTAL_BYTES,
        max_ratio=conf.H5P_MAX_RATIO,
        ratio_min_bytes=conf.H5P_RATIO_MIN_BYTES,
    )


def may_install_libraries(user) -> bool:
    """Staff install libraries (library JavaScript is code that runs on our origin)."""
    return user is not None and user.is_active and user.has_perm(INSTALL_PERMISSION)


def _refuse(error: PackageError) -> ValidationError:
    return ValidationError(messages.describe(error), code=error.rule, params={"file": error.file})


@dataclass
class PreparedPackage(PreparedDir):
    """A validated package waiting in a temporary directory (``PreparedDir``: ``cleanup()`` or ``with``)."""

    info: PackageInfo
    to_install: list[LibraryInfo] = field(default_factory=list)


def package_prepare(*, file: BinaryIO | str | Path, name: str | None = None, user=None,
                    may_install: bool | None = None) -> PreparedPackage:
    """Extract and validate an uploaded .h5p. Raises ValidationError (file + rule); writes nothing lasting."""
    if may_install is None:
        may_install = may_install_libraries(user)
    try:
        name, root = staging_dir(file, name, extension=".h5p", max_bytes=conf.H5P_MAX_UPLOAD_BYTES,
                                 prefix="lms-h5p-")
    except PackageError as exc:
        raise _refuse(exc) from exc
    tmp = root.parent
    try:
        paths = safezip.extract(file, root, limits(), name=name)
        installed = selectors.installed_libraries()
        info = validate_package(
            root, paths, installed={k: v[1] for k, v in installed.items()}, content_svg=conf.H5P_CONTENT_SVG,
            json_limits=JsonLimits(max_bytes=conf.H5P_MAX_CONTENT_JSON_BYTES, max_depth=conf.H5P_MAX_JSON_DEPTH),
        )
        info = _filter_content(root, info)
        to_install = [lib for lib in info.libraries if lib.key not in installed or lib.patch > installed[lib.key][0]]
        if to_install and not may_install:
            lib = to_install[0]
            raise PackageError("library-permission", f"{lib.folder}/library.json",
                               library=f"{lib.machine_name} {lib.major}.{lib.minor}.{lib.patch}")
    except PackageError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _refuse(exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PreparedPackage(name=name, root=root, info=info, to_install=to_install)


def _semantics_in(root: Path, lib: LibraryInfo) -> list:
    path = root / lib.folder / "semantics.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_bytes().decode("utf-8-sig"))
    return data if isinstance(data, list) else []


def _filter_content(root: Path, info: PackageInfo) -> PackageInfo:
    """Filter content.json by the semantics (as H5P core does) and write the filtered file back, so the
    player only ever receives filtered content."""
    in_package = {lib.key: lib for lib in info.libraries}
    installed: dict[tuple[str, int, int], list] = {}

    def semantics_of(key: tuple[str, int, int]) -> list | None:
        if key in in_package:
            return _semantics_in(root, in_package[key]) or None
        if key not in installed:
            installed[key] = selectors.library_semantics(key)
        return installed[key] or None

    def lookup(name: str) -> list | None:
        machine, _, version = name.partition(" ")
        major, _, minor = version.partition(".")
        if not (major.isdigit() and minor.isdigit()):
            return None
        return semantics_of((machine, int(major), int(minor)))

    content = content_filter.filter_content(info.content, semantics_of(info.main_library), lookup)
    (root / "content" / "content.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return replace(info, content=content)


def _save_tree(src: Path, files: list[str], prefix: str) -> None:
    save_tree(storage(), src, files, prefix)


def _delete_tree(prefix: str, files: list[str]) -> None:
    delete_tree(storage(), prefix, files)


def _library_install(lib: LibraryInfo, root: Path, user) -> H5PLibrary:
    prefix = f"{conf.H5P_STORAGE_PREFIX}/libraries/{lib.ident}/{lib.patch}-{uuid.uuid4().hex[:8]}"
    deps = [
        [d["machineName"], int(d["majorVersion"]), int(d["minorVersion"])]
        for key in ("preloadedDependencies", "dynamicDependencies")
        for d in lib.data.get(key) or []
    ]
    existing = (
        H5PLibrary.objects.select_for_update()
        .filter(machine_name=lib.machine_name, major_version=lib.major, minor_version=lib.minor)
        .first()
    )
    if existing is not None and existing.patch_version >= lib.patch:
        return existing  # a concurrent upload installed it (or a newer patch) first
    _save_tree(root / lib.folder, list(lib.files), prefix)
    fields = {
        "patch_version": lib.patch, "title": lib.title[:255], "is_runnable": lib.runnable, "metadata": lib.data,
        "dependencies": deps, "storage_path": prefix, "installed_by": user,
        "semantics": _semantics_in(root, lib),
    }
    if existing is None:
        try:
            with transaction.atomic():
                return H5PLibrary.objects.create(
                    machine_name=lib.machine_name, major_version=lib.major, minor_version=lib.minor, **fields
                )
        except IntegrityError:
            existing = H5PLibrary.objects.select_for_update().get(
                machine_name=lib.machine_name, major_version=lib.major, minor_version=lib.minor
            )
    old_prefix, old_files = existing.storage_path, list(existing.metadata.get("_files", []))
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    transaction.on_commit(lambda: _delete_tree(old_prefix, old_files))
    return existing


@transaction.atomic
def package_install(
    *, prepared: PreparedPackage, user=None, activity: H5PActivity | None = None, title: str | None = None,
    grading_method: str | None = None, pass_percent: int | None = None, claim_policy: str | None = None,
) -> H5PActivity:
    """Install the prepared package's new libraries and store its content as ``activity`` (new if None)."""
    info = prepared.info
    for lib in prepared.to_install:
        data = dict(lib.data)
        data["_files"] = list(lib.files)
        _library_install(LibraryInfo(**{**lib.__dict__, "data": data}), prepared.root, user)
    by_key = {
        (lib.machine_name, lib.major_version, lib.minor_version): lib
        for lib in H5PLibrary.objects.filter(machine_name__in={k[0] for k in info.dependencies})
    }
    closure = [by_key[key] for key in info.dependencies if key in by_key]
    activity = activity or H5PActivity()
    old_prefix, old_files = activity.storage_path, list(activity.content_json.get("_files", [])) if activity.pk else []
    uid = uuid.uuid4()
    prefix = f"{conf.H5P_STORAGE_PREFIX}/content/{uid}"
    _save_tree(prepared.root, ["h5p.json", *[f"content/{f}" for f in info.content_files]], prefix)
    activity.uid = uid
    activity.title = (title or activity.title or info.title)[:255]
    activity.main_library = by_key[info.main_library]
    activity.h5p_json = info.h5p
    activity.content_json = {**info.content, "_files": list(info.content_files)}
    activity.storage_path = prefix
    activity.package_name = prepared.name[:255]
    if grading_method:
        activity.grading_method = grading_method
    if claim_policy:
        activity.claim_policy = claim_policy
    if pass_percent is not None:
        activity.pass_percent = pass_percent
    elif activity.pk is None:
        activity.pass_percent = _default_pass_percent(info.content)
    if user is not None and activity.uploaded_by_id is None:
        activity.uploaded_by = user
    activity.full_clean()
    activity.save()
    activity.libraries.set(closure)
    if old_prefix:
        transaction.on_commit(lambda: _delete_tree(old_prefix, ["h5p.json", *[f"content/{f}" for f in old_files]]))
    return activity


def _default_pass_percent(content: Mapping[str, Any]) -> int:
    for value in (content.get("passPercentage"), (content.get("behaviour") or {}).get("passPercentage")):
        if isinstance(value, int | float) and 0 <= value <= 100:
            return int(value)
    return 100


def activity_import(*, file, name: str | None = None, user=None, may_install: bool | None = None,
                    **options) -> H5PActivity:
    """Prepare and install in one step (the management command, the demo data)."""
    with package_prepare(file=file, name=name, user=user, may_install=may_install) as prepared:
        return package_install(prepared=prepared, user=user, **options)


# --- playback: resume state and xAPI -------------------------------------------------------------------------

@transaction.atomic
def state_save(*, user, activity: H5PActivity, data: str) -> H5PState | None:
    """Save (or, for H5P's ``0``/empty reset, delete) a person's resume state. Size-capped."""
    if not selectors.can_play(user=user, activity=activity):
        raise PermissionDenied(_("You may not use this H5P activity."))
    if len(data.encode("utf-8")) > conf.H5P_MAX_STATE_BYTES:
        raise ValidationError(
            _("The saved state is larger than %(limit)s bytes.") % {"limit": conf.H5P_MAX_STATE_BYTES}
        )
    if data in ("", "0"):
        H5PState.objects.filter(user=user, activity=activity).delete()
        return None
    state, _created = H5PState.objects.update_or_create(user=user, activity=activity, defaults={"data": data})
    return state


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < 10**6 else None


def _server_score(*, user, activity: H5PActivity, statement: Mapping[str, Any], verb: str) -> scoring.Score | None:
    main = activity.main_library.machine_name
    response = (statement.get("result") or {}).get("response")
    if main in scoring.SCORERS and verb == "answered":
        return scoring.rescore(main, activity.content_json, response)
    if main == "H5P.QuestionSet" and verb == "completed":
        last = (
            H5PStatement.objects.filter(activity=activity, user=user, is_attempt=True).order_by("-pk")
            .values_list("pk", flat=True).first()
        )
        children = H5PStatement.objects.filter(activity=activity, user=user, verb="answered").exclude(sub_content_id="")
        if last:
            children = children.filter(pk__gt=last)
        responses = {}
        for sub_id, result in children.order_by("pk").values_list("sub_content_id", "result"):
            responses[sub_id] = (result or {}).get("response")
        return scoring.question_set(activity.content_json, responses)
    return None


def _score_attempt(record: H5PStatement, *, user, activity: H5PActivity, statement: Mapping[str, Any],
                   verb: str) -> None:
    main = activity.main_library.machine_name
    if scoring.can_rescore(main, activity.content_json):
        server = _server_score(user=user, activity=activity, statement=statement, verb=verb)
        if server is None:
            raise ValidationError(
                _("This result cannot be checked by the server (it carries no answer to re-score), so it was "
                  "not recorded."), code="unverifiable",
            )
        record.is_rescored = True
        record.is_disputed = (record.claimed_raw, record.claimed_max) != (server.raw, server.max)
    else:
        if not scoring.valid_claim(record.claimed_raw, record.claimed_max):
            raise ValidationError(
                _("The claimed score is not a possible score (it must be a number from 0 to its maximum, and the "
                  "maximum above 0), so it was not recorded."), code="invalid-claim",
            )
        policy = activity.claim_policy
        if policy == scoring.ClaimPolicy.IGNORE:
            record.is_attempt = False
            return
        if policy != scoring.ClaimPolicy.TRUST:  # completion only: no score, no pass
            record.score_raw = record.score_max = record.score_percent = record.is_passed = None
            return
        server = scoring.Score(record.claimed_raw, record.claimed_max)
    record.score_raw, record.score_max = server.raw, server.max
    record.score_percent = server.percent
    record.is_passed = server.percent >= activity.pass_percent


@transaction.atomic
def statement_record(*, user, activity: H5PActivity, statement: Mapping[str, Any]) -> H5PStatement:
    """Store an xAPI statement posted by the player for ``user`` (the session's user, never the payload's
    actor). A learner's browser is an adversary: a claimed score counts only where the server re-scores it (the
    server's score counts; a differing claim is kept, marked disputed) or where a trainer trusts the activity.
    Raises ValidationError, storing nothing, for a result the server should but cannot check (no response) and
    for a claim that cannot be a score (negative, above its maximum, not a number)."""
    if not selectors.can_play(user=user, activity=activity):
        raise PermissionDenied(_("You may not use this H5P activity."))
    if not isinstance(statement, Mapping) or not isinstance(statement.get("verb"), Mapping):
        raise ValidationError(_("This is not an xAPI statement."))
    verb = scoring.verb_of(statement)
    if not verb:
        raise ValidationError(_("This is not an xAPI statement."))
    is_attempt = scoring.counts(statement)
    raw = {**statement, "actor": {"objectType": "Agent", "account": {"name": user.get_username()}}}
    result = statement.get("result") if isinstance(statement.get("result"), Mapping) else None
    record = H5PStatement(
        activity=activity, user=user, verb=verb, raw=raw, result=result, is_attempt=is_attempt,
        object_id=str((statement.get("object") or {}).get("id", ""))[:500],
        sub_content_id=scoring.sub_content_id(statement) or "",
    )
    if is_attempt:
        claimed = (result or {}).get("score") or {}
        record.claimed_raw, record.claimed_max = _decimal(claimed.get("raw")), _decimal(claimed.get("max"))
        _score_attempt(record, user=user, activity=activity, statement=statement, verb=verb)
    if not record.is_attempt and (
        H5PStatement.objects.filter(activity=activity, user=user).count() >= conf.H5P_MAX_STATEMENTS
    ):
        raise ValidationError(_("Too many statements for this activity."))
    record.save()
    if record.is_attempt:
        transaction.on_commit(
            lambda: h5p_result_recorded.send(sender=H5PStatement, statement=record, user=user, activity=activity)
        )
    return record
