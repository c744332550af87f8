"""Writes of courses.scorm: installing a package as a new version of an activity, opening attempts, and recording
the commits of the runtime (scorm-again in the learner's browser).

A package is extracted into a temporary directory with limits (``courses.h5p.safezip``, the reader H5P uses), its
manifest read by ``manifest.parse``, and only then copied into Django storage. Any refusal raises
``ValidationError`` naming the entry and the rule, and writes nothing.

A commit is checked against the CMI data model (``cmi.check``): a wrong value is not stored and the runtime gets
its SCORM error code; the commit's valid values are kept (the runtime sends the whole CMI every time). Commits carry
a sequence number; an older or repeated one changes nothing. The server, not the package, owns the learner's
identity, the credit, the entry and the total time.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.h5p import safezip
from courses.h5p.errors import PackageError
from courses.package_upload import PreparedDir, delete_tree, save_tree, staging_dir
from courses.scorm import cmi, conf, manifest, messages, rules, selectors
from courses.scorm.models import ScormActivity, ScormAttempt, ScormPackage, ScormScoState
from courses.scorm.signals import scorm_attempt_finished
from exams.private_files import private_storage

MANIFEST = "imsmanifest.xml"


def storage():
    return private_storage(conf.SCORM_STORAGE)


def limits() -> safezip.Limits:
    return safezip.Limits(
        max_files=conf.SCORM_MAX_FILES, max_file_bytes=conf.SCORM_MAX_FILE_BYTES,
        max_total_bytes=conf.SCORM_MAX_TOTAL_BYTES, max_ratio=conf.SCORM_MAX_RATIO,
        ratio_min_bytes=conf.SCORM_RATIO_MIN_BYTES,
    )


def ignored(name: str) -> bool:
    """Left out of a package: hidden files and macOS resource forks. (H5P also leaves out ``_`` folders; SCORM
    authoring tools use them, e.g. ``_assets/``.)"""
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/") if part)


@dataclass
class PreparedScorm(PreparedDir):
    """A validated package waiting in a temporary directory (``PreparedDir``: ``cleanup()`` or ``with``)."""

    manifest: manifest.Manifest
    files: list[str] = field(default_factory=list)


def _refuse(error: PackageError) -> ValidationError:
    return ValidationError(messages.describe_package(error), code=error.rule, params={"file": error.file})


def _entry_of(exc: OSError, root: Path) -> str | None:
    """The archive entry an extraction error names (its path inside ``root``), never the temporary path."""
    try:
        return Path(str(exc.filename)).resolve().relative_to(root.resolve()).as_posix()
    except (TypeError, ValueError):
        return None


def _check_identifiers(parsed: manifest.Manifest) -> None:
    """A SCO's identifier names its commit URL (one path segment) and its data row (255 characters)."""
    for sco in parsed.scos:
        if sco.scorm_type == "sco" and ("/" in sco.identifier or len(sco.identifier) > 255):
            raise ValidationError(
                _("%(file)s: the item identifier “%(identifier)s” cannot be used (it holds a “/” or is longer than "
                  "255 characters)") % {"file": MANIFEST, "identifier": sco.identifier[:80]},
                code="invalid-identifier",
            )


def package_prepare(*, file: BinaryIO | str | Path, name: str | None = None) -> PreparedScorm:
    """Extract and check an uploaded SCORM zip. Raises ValidationError (entry + rule); writes nothing lasting."""
    try:
        name, root = staging_dir(file, name, extension=".zip", max_bytes=conf.SCORM_MAX_UPLOAD_BYTES,
                                 prefix="lms-scorm-")
    except PackageError as exc:
        raise _refuse(exc) from exc
    tmp = root.parent
    try:
        try:
            paths = safezip.extract(file, root, limits(), name=name, ignore=ignored)
        except OSError as exc:  # "a" as a file and as the folder of "a/b.html": the reader lets it through
            raise PackageError("duplicate-entry", _entry_of(exc, root) or name) from exc
        if MANIFEST not in paths:
            raise PackageError("missing-manifest", name)
        if (root / MANIFEST).stat().st_size > conf.SCORM_MAX_MANIFEST_BYTES:
            raise PackageError("manifest-too-large", MANIFEST, limit=conf.SCORM_MAX_MANIFEST_BYTES)
        parsed = manifest.parse((root / MANIFEST).read_bytes(), names=set(paths))
        _check_identifiers(parsed)
    except PackageError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _refuse(exc) from exc
    except manifest.ManifestError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ValidationError(messages.describe_manifest(exc), code=exc.rule) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PreparedScorm(name=name, root=root, manifest=parsed, files=sorted(paths))


def _save_tree(src: Path, files: list[str], prefix: str) -> None:
    save_tree(storage(), src, files, prefix)


def _delete_tree(prefix: str, files: list[str]) -> None:
    delete_tree(storage(), prefix, files)


def _manifest_json(parsed: manifest.Manifest) -> dict:
    def plain(sco: manifest.Sco) -> dict:
        data = asdict(sco)
        data["mastery_score"] = None if sco.mastery_score is None else str(sco.mastery_score)
        return data

    return {"identifier": parsed.identifier, "scos": [plain(s) for s in parsed.scos],
            "toc": [list(entry) for entry in parsed.toc]}


@transaction.atomic
def package_install(*, prepared: PreparedScorm, user=None, activity: ScormActivity | None = None,
                    title: str | None = None, grading_method: str | None = None, claim_policy: str | None = None,
                    max_attempts: int | None = None) -> ScormActivity:
    """Store the prepared package as the next version of ``activity`` (a new activity if None). Attempts already
    started keep the version they started on; new attempts take this one."""
    if activity is not None and activity.pk:  # two uploads at once get consecutive version numbers
        ScormActivity.objects.select_for_update().filter(pk=activity.pk).exists()
    activity = activity or ScormActivity()
    parsed = prepared.manifest
    activity.title = (title or activity.title or parsed.title)[:255]
    if grading_method:
        activity.grading_method = grading_method
    if claim_policy:
        activity.claim_policy = claim_policy
    if max_attempts is not None:
        activity.max_attempts = max_attempts
    if user is not None and activity.uploaded_by_id is None:
        activity.uploaded_by = user
    activity.full_clean(exclude=["current"])
    activity.save()
    number = (activity.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    prefix = f"{conf.SCORM_STORAGE_PREFIX}/{activity.uid}/v{number}-{uuid.uuid4().hex[:8]}"
    try:  # a file that fails to store (a full disk) removes those stored before it, as a failed row does
        _save_tree(prepared.root, prepared.files, prefix)
        version = ScormPackage.objects.create(
            activity=activity, number=number, scorm_version=parsed.version, title=parsed.title[:255],
            manifest=_manifest_json(parsed), storage_path=prefix, file_count=len(prepared.files),
            package_name=prepared.name[:255], uploaded_by=user,
        )
    except BaseException:
        _delete_tree(prefix, prepared.files)
        raise
    activity.current = version
    activity.save(update_fields=["current", "updated_at"])
    return activity


def activity_import(*, file, name: str | None = None, user=None, **options) -> ScormActivity:
    """Prepare and install in one step (the ``scorm_import`` command, the demo data)."""
    with package_prepare(file=file, name=name) as prepared:
        return package_install(prepared=prepared, user=user, **options)


# ---- attempts ---------------------------------------------------------------------------------------------------

def _states(attempt: ScormAttempt) -> dict[str, ScormScoState]:
    return {s.sco: s for s in attempt.scos.all()}


def _rollup(attempt: ScormAttempt, states: dict[str, ScormScoState]) -> rules.ActivityResult:
    results = []
    for sco in attempt.package.tracked_scos:
        state = states.get(sco["identifier"])
        summary = cmi.summarise(attempt.package.scorm_version, state.cmi if state else {})
        mastery = sco.get("mastery_score")
        results.append(rules.sco_result(summary, mastery_score=Decimal(mastery) if mastery is not None else None))
    return rules.rollup(results)


def _finish(attempt: ScormAttempt, now) -> None:
    attempt.finished_at = now
    activity, user = attempt.activity, attempt.user
    trusted = activity.trusts_scores
    transaction.on_commit(lambda: scorm_attempt_finished.send(
        sender=ScormAttempt, attempt=attempt, user=user, activity=activity,
        percent=attempt.percent if trusted else None, is_passed=attempt.is_passed if trusted else None,
    ))


@transaction.atomic
def attempt_open(*, user, activity: ScormActivity, new: bool = False) -> ScormAttempt:
    """The person's attempt to play: the open one, or (when none is open, or ``new`` after a finished one) a new one
    on the current version. An open attempt whose SCOs all reported completion (the window closed before the
    package said goodbye) is finished first."""
    if not selectors.can_play(user=user, activity=activity):
        raise PermissionDenied(_("You may not use this SCORM activity."))
    activity = ScormActivity.objects.select_for_update(of=("self",)).select_related("current").get(pk=activity.pk)
    latest = (ScormAttempt.objects.select_related("package", "activity", "user")
              .filter(activity=activity, user=user).order_by("-number").first())
    if latest is not None and not latest.is_finished:
        if latest.is_completed:
            _finish(latest, timezone.now())
            latest.save(update_fields=["finished_at", "updated_at"])
        elif new:
            raise ValidationError(_("Finish the attempt you started before starting a new one."))
        else:
            return latest
    if latest is not None and not new:
        return latest
    if activity.current is None:
        raise ValidationError(_("This activity has no package yet."))
    count = latest.number if latest else 0
    if activity.max_attempts and count >= activity.max_attempts:
        raise ValidationError(_("You have used all %(n)d attempts at this activity.") % {"n": activity.max_attempts})
    try:
        with transaction.atomic():
            return ScormAttempt.objects.create(activity=activity, package=activity.current, user=user,
                                               number=count + 1)
    except IntegrityError as exc:  # the same person in two tabs at once
        raise ValidationError(_("Another window started this attempt; reload the page.")) from exc


@dataclass(frozen=True)
class CommitOutcome:
    error: int  # 0, or the SCORM error code the runtime reports to the package (of the first refused value)
    stored: bool  # whether anything of the commit was kept
    finished: bool = False
    refused: tuple[str, ...] = ()  # the elements whose values were refused (and not stored)


def _elapsed(attempt: ScormAttempt) -> Decimal:
    """Seconds since the attempt started (to the hundredth): the most time its SCOs can have spent."""
    seconds = max((timezone.now() - attempt.started_at).total_seconds(), 0)
    return Decimal(str(seconds)).quantize(Decimal("0.01"))


def _fitting(score: Decimal | None) -> Decimal | None:
    """A SCORM 2004 raw score is any real number; the summary columns hold 8 integer digits (a larger one is kept
    in the CMI data only, where the grade is read from)."""
    return score if score is None or abs(score) < Decimal(10) ** 8 else None


def _general_failure(family: str) -> int:
    return 101 if family == cmi.VERSION_12 else 391


@transaction.atomic
def commit_record(*, user, attempt_id: int, sco: str, seq: int, session: str, data: dict,
                  terminate: bool = False) -> CommitOutcome:
    """Store one commit of one SCO of the person's own attempt (anything else: PermissionDenied)."""
    attempt = (ScormAttempt.objects.select_for_update(of=("self",)).select_related("package", "activity", "user")
               .filter(pk=attempt_id, user=user).first())
    if attempt is None or not user.is_active:
        raise PermissionDenied(_("This is not your attempt."))
    if not selectors.can_play(user=user, activity=attempt.activity):  # unenrolled (or the lesson gone) since
        raise PermissionDenied(_("You may not use this SCORM activity."))
    package = attempt.package
    family = cmi.family(package.scorm_version)
    described = package.sco(sco)
    if described is None or described.get("scorm_type") != "sco":
        raise PermissionDenied(_("This package has no such SCO."))
    if attempt.is_finished:
        return CommitOutcome(error=_general_failure(family), stored=False, finished=True)
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**63 or not isinstance(data, dict):
        return CommitOutcome(error=_general_failure(family), stored=False)
    # the attempt's row lock serialises its commits; the SCO's row is made only when something is stored
    state = ScormScoState.objects.filter(attempt=attempt, sco=sco).first() or ScormScoState(attempt=attempt, sco=sco)
    if seq <= state.seq:
        return CommitOutcome(error=0, stored=False)  # stale or replayed: changes nothing
    stored, errors = cmi.check(package.scorm_version, data)
    if errors and not stored:
        return CommitOutcome(error=errors[0][1], stored=False, refused=tuple(e for e, _code in errors))
    session = str(session or "")[:64]
    if session != state.session:
        state.total_seconds += state.session_seconds
        state.session, state.session_seconds = session, Decimal(0)
    state.cmi = {**state.cmi, **stored}
    summary = cmi.summarise(package.scorm_version, state.cmi)
    if any(key in stored for key in ("cmi.core.session_time", "cmi.session_time")) and summary.session_seconds:
        # the package reports its time: no session outlasts the attempt so far (a forged "P9999Y", or a session
        # per commit, would otherwise fill the archive with hours and overflow the column)
        state.session_seconds = min(summary.session_seconds, max(_elapsed(attempt) - state.total_seconds, Decimal(0)))
    state.completion, state.success, state.exit = summary.completion, summary.success, summary.exit
    state.score_raw, state.score_min, state.score_max = (
        _fitting(summary.score_raw), _fitting(summary.score_min), _fitting(summary.score_max))
    state.score_scaled = summary.score_scaled
    state.seq = seq
    state.save()
    states = _states(attempt)
    result = _rollup(attempt, states)
    attempt.is_completed, attempt.is_passed, attempt.percent = result.completed, result.passed, result.percent
    attempt.seconds = min(sum((s.time_spent for s in states.values()), Decimal(0)), _elapsed(attempt))
    if terminate and attempt.is_completed:
        _finish(attempt, timezone.now())
    attempt.save()
    # A refused value is not stored, the rest is: the runtime re-sends the whole CMI with every commit, so refusing
    # it all would lose every later commit of the session to one value.
    return CommitOutcome(error=errors[0][1] if errors else 0, stored=True, finished=attempt.is_finished,
                         refused=tuple(e for e, _code in errors))
