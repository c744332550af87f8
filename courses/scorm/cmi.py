"""The SCORM run-time data model (CMI) as the server checks it. Pure: no Django imports.

The browser runtime (scorm-again) refuses a bad ``SetValue``, but its commit is only a POST anyone can forge: the
server checks every element again, keeps those a SCO may write, and drops those the LMS owns, so the learner's
identity, credit, entry and total time stay the server's. A commit is flattened (``cmi.interactions.0.id``) and
holds every element, set or not: an empty string is an element the SCO left unset, accepted wherever the data
model has no default of its own. Errors are SCORM error codes, which the runtime reports to the package.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

VERSION_12 = "1.2"
VERSION_2004 = "2004"
MAX_INDEX = 999
MAX_KEY = 200
UNDEFINED, TYPE, RANGE = "undefined", "type", "range"
CODES = {
    VERSION_12: {UNDEFINED: 401, TYPE: 405, RANGE: 405},  # 1.2 has no "out of range": 405 is its nearest
    VERSION_2004: {UNDEFINED: 401, TYPE: 406, RANGE: 407},
}
CONTAINERS = ("_children", "_count", "_version")  # what the runtime answers itself, never stored

REAL = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
INTEGER = re.compile(r"-?\d+")
# RTE 1.2 3.4.2 says HHHH:MM:SS.SS with 2 to 4 hour digits; SCOs write "0:00:05" too, and so does scorm-again's own
# check allow it: refusing it would only lose the time the learner spent.
TIMESPAN_12 = re.compile(r"(\d{1,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)")
TIME_12 = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?")
DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")
TIMESTAMP = re.compile(  # YYYY[-MM[-DD[Thh[:mm[:ss[.s]]][TZD]]]], years 1970..2038 (RTE 2004 4.1.1.6)
    r"(19[7-9]\d|20[0-2]\d|203[0-8])(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d+)?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)?)?"
)
LANGUAGE = re.compile(r"([a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*)?")
LANG_PREFIX = re.compile(r"\{lang=[a-zA-Z0-9-]{0,250}\}")
NAV_REQUEST = re.compile(
    r"continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^\s{}]{1,4000}\}(choice|jump)"
)
# a year of 365 days, a month of 30; weeks are not in SCORM 2004's form but in ISO 8601's, and scorm-again takes them
SECONDS = {"Y": 365 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400, "h": 3600, "m": 60}

Check = Callable[[str], str | None]  # None when the value is fine, else TYPE or RANGE


def family(version: str) -> str:
    """"1.2" or "2004" for a package version ("1.2", "2004-2", "2004-3", "2004-4")."""
    if version == VERSION_12:
        return VERSION_12
    if re.fullmatch(r"2004(-\d)?", version):
        return VERSION_2004
    raise ValueError(f"not a SCORM version: {version!r}")


def _text(limit: int, *, blank: bool = True, localized: bool = False) -> Check:
    def check(value: str) -> str | None:
        if not value:
            return None if blank else TYPE
        if localized:  # a localized string may open with {lang=xx}, which the limit does not count
            value = LANG_PREFIX.sub("", value, count=1) if value.startswith("{lang=") else value
        return TYPE if len(value) > limit else None

    return check


def _words(*words: str, other: Check | None = None) -> Check:
    allowed = frozenset(words)
    return lambda value: None if value in allowed else (other(value) if other else TYPE)


def _number(low: int | None = None, high: int | None = None, *, integer: bool = False) -> Check:
    def check(value: str) -> str | None:
        if value == "":
            return None
        if len(value) > 40 or not (INTEGER if integer else REAL).fullmatch(value):
            return TYPE
        number = Decimal(value)
        return RANGE if (low is not None and number < low) or (high is not None and number > high) else None

    return check


def _matches(pattern: re.Pattern[str], *, blank: bool = True) -> Check:
    return lambda value: None if (blank and not value) or pattern.fullmatch(value) else TYPE


def _duration(value: str) -> str | None:
    return None if not value or _duration_seconds(value) is not None else TYPE


STATUS_12 = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
SCORE_12 = _number(0, 100)
TIMESPAN_CHECK = _matches(TIMESPAN_12)
ELEMENTS_12: dict[str, Check] = {
    "cmi.core.lesson_location": _text(255),
    # "not attempted" is the LMS's value a SCO cannot set, but scorm-again commits it back until the SCO sets one
    "cmi.core.lesson_status": _words(*STATUS_12),
    "cmi.core.score.raw": SCORE_12,
    "cmi.core.score.min": SCORE_12,
    "cmi.core.score.max": SCORE_12,
    "cmi.core.exit": _words("", "time-out", "suspend", "logout"),
    "cmi.core.session_time": TIMESPAN_CHECK,
    # RTE 1.2 says 4096 characters; authoring tools (Storyline, iSpring) write more, and every LMS people use (and
    # scorm-again) takes up to 2004's 64000: refusing it would lose the learner's place.
    "cmi.suspend_data": _text(64000),
    "cmi.comments": _text(4096),
    "cmi.objectives.n.id": _text(255),
    "cmi.objectives.n.score.raw": SCORE_12,
    "cmi.objectives.n.score.min": SCORE_12,
    "cmi.objectives.n.score.max": SCORE_12,
    "cmi.objectives.n.status": _words("", *STATUS_12),
    "cmi.student_preference.audio": _number(-1, 100, integer=True),
    "cmi.student_preference.language": _text(255),
    "cmi.student_preference.speed": _number(-100, 100, integer=True),
    "cmi.student_preference.text": _number(-1, 1, integer=True),
    "cmi.interactions.n.id": _text(255),
    "cmi.interactions.n.objectives.n.id": _text(255),
    "cmi.interactions.n.time": _matches(TIME_12),
    "cmi.interactions.n.type": _words(
        "", "true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"
    ),
    "cmi.interactions.n.correct_responses.n.pattern": _text(255),
    "cmi.interactions.n.weighting": _number(),
    "cmi.interactions.n.student_response": _text(4096),  # 1.2 says 255; real packages write longer answers
    "cmi.interactions.n.result": _words("", "correct", "wrong", "unanticipated", "neutral", other=_number()),
    "cmi.interactions.n.latency": TIMESPAN_CHECK,
}
OWNED_12 = frozenset({
    "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time",
    "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms",
})

COMPLETION = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS = ("passed", "failed", "unknown")
TIMESTAMP_CHECK = _matches(TIMESTAMP)
ELEMENTS_2004: dict[str, Check] = {
    "cmi.completion_status": _words(*COMPLETION),
    "cmi.success_status": _words(*SUCCESS),
    "cmi.progress_measure": _number(0, 1),
    "cmi.location": _text(1000),
    "cmi.suspend_data": _text(64000),
    "cmi.exit": _words("", "time-out", "suspend", "logout", "normal"),
    "cmi.session_time": _duration,
    "cmi.interactions.n.id": _text(4000, blank=False),  # the one a SCO must set before any other of its interaction
    "cmi.interactions.n.type": _words(
        "", "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert",
        "numeric", "other",
    ),
    "cmi.interactions.n.objectives.n.id": _text(4000),
    "cmi.interactions.n.timestamp": TIMESTAMP_CHECK,
    "cmi.interactions.n.correct_responses.n.pattern": _text(7800),
    "cmi.interactions.n.weighting": _number(),
    "cmi.interactions.n.learner_response": _text(7800),  # per-type patterns are the SCO's business
    "cmi.interactions.n.result": _words("", "correct", "incorrect", "unanticipated", "neutral", other=_number()),
    "cmi.interactions.n.latency": _duration,
    "cmi.interactions.n.description": _text(250, localized=True),
    "cmi.objectives.n.id": _text(4000),
    "cmi.objectives.n.success_status": _words("", *SUCCESS),
    "cmi.objectives.n.completion_status": _words("", *COMPLETION),
    "cmi.objectives.n.progress_measure": _number(0, 1),
    "cmi.objectives.n.description": _text(250, localized=True),
    "cmi.comments_from_learner.n.comment": _text(4000, localized=True),
    "cmi.comments_from_learner.n.location": _text(250),
    "cmi.comments_from_learner.n.timestamp": TIMESTAMP_CHECK,
    "cmi.learner_preference.audio_level": _number(0),
    "cmi.learner_preference.language": _matches(LANGUAGE),
    "cmi.learner_preference.delivery_speed": _number(0),
    "cmi.learner_preference.audio_captioning": _words("", "-1", "0", "1"),
    "adl.nav.request": _matches(NAV_REQUEST, blank=False),
    "adl.data.n.store": _text(64000),  # 4th edition shared data, written through the SCO's own commit
}
ELEMENTS_2004.update({
    f"{owner}.score.{part}": _number(-1, 1) if part == "scaled" else _number()
    for owner in ("cmi", "cmi.objectives.n") for part in ("scaled", "raw", "min", "max")
})
OWNED_2004 = frozenset({
    "cmi.learner_id", "cmi.learner_name", "cmi.credit", "cmi.entry", "cmi.total_time", "cmi.mode",
    "cmi.launch_data", "cmi.completion_threshold", "cmi.scaled_passing_score", "cmi.max_time_allowed",
    "cmi.time_limit_action", "adl.data.n.id",
})
OWNED_PREFIXES = {
    VERSION_12: ("cmi.student_data.",),
    VERSION_2004: ("cmi.comments_from_lms.", "adl.nav.request_valid."),
}


def check(version: str, cmi: Mapping[str, object]) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """Return (stored, errors): ``stored`` holds the elements a SCO may write, validated; ``errors`` lists
    (element, SCORM error code) for each rejected one. Elements the LMS owns (who the learner is, credit, entry,
    total time, mode, launch data, the manifest's thresholds, ``_children``/``_count``/``_version``) are dropped
    without an error: the server's values win. scorm-again flattens an empty array to ``{}``: skipped too."""
    kind = family(version)
    elements, owned = (ELEMENTS_12, OWNED_12) if kind == VERSION_12 else (ELEMENTS_2004, OWNED_2004)
    codes = CODES[kind]
    stored: dict[str, str] = {}
    errors: list[tuple[str, int]] = []
    for key, raw in cmi.items():
        if isinstance(raw, dict | list) and not raw:
            continue
        if not isinstance(key, str):
            errors.append((str(key), codes[UNDEFINED]))
            continue
        if key.startswith(OWNED_PREFIXES[kind]):
            continue
        parsed = _pattern(key)
        if parsed is None:
            errors.append((key, codes[UNDEFINED]))
            continue
        pattern, indexes = parsed
        if pattern.rpartition(".")[2] in CONTAINERS or pattern in owned:
            continue
        rule = elements.get(pattern)
        if rule is None:
            errors.append((key, codes[UNDEFINED]))
            continue
        value = _string(raw)
        problem = RANGE if any(i > MAX_INDEX for i in indexes) else TYPE if value is None else rule(value)
        if problem:
            errors.append((key, codes[problem]))
        elif value is not None:
            stored[key] = value
    return stored, errors


def _pattern(key: str) -> tuple[str, list[int]] | None:
    """``cmi.interactions.3.id`` → (``cmi.interactions.n.id``, [3]); None for a key no element can have."""
    if len(key) > MAX_KEY or not key.startswith(("cmi.", "adl.")):
        return None
    parts, indexes = [], []
    for part in key.split("."):
        if part == "n" or not part:
            return None
        if part.isascii() and part.isdigit():
            if part != str(int(part)):  # "01" would store beside "1"
                return None
            indexes.append(int(part))
            part = "n"
        parts.append(part)
    return ".".join(parts), indexes


def _string(raw: object) -> str | None:
    """A value as the string the data model holds; None when it cannot be one. Numbers are accepted (a JSON
    body may carry 80 for "80"); NUL never (PostgreSQL cannot store it)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        text = str(raw) if abs(raw) < 10**40 else None
    elif isinstance(raw, float):
        text = format(Decimal(repr(raw)), "f") if math.isfinite(raw) else None  # 1e-07 → "0.0000001"
    else:
        text = raw if isinstance(raw, str) else None
    return None if text is None or "\x00" in text else text


@dataclass(frozen=True)
class Summary:
    """What the server reads from a SCO's stored CMI, in SCORM 2004 terms whatever the version."""

    completion: str  # "completed" | "incomplete" | "not attempted" | "unknown"
    success: str  # "passed" | "failed" | "unknown"
    score_raw: Decimal | None
    score_min: Decimal | None
    score_max: Decimal | None
    score_scaled: Decimal | None
    session_seconds: Decimal | None
    location: str
    suspend_data: str
    exit: str


STATUS_MAP_12 = {
    "passed": ("completed", "passed"),
    "failed": ("completed", "failed"),
    "completed": ("completed", "unknown"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("incomplete", "unknown"),
}


def summarise(version: str, cmi: Mapping[str, str]) -> Summary:
    """The statuses, score, session time and bookmark of a SCO's CMI. SCORM 1.2's single lesson_status becomes a
    completion and a success; its scaled score is the raw score within min..max (0..100 when not given)."""
    kind = family(version)

    def get(key: str) -> str:
        value = cmi.get(key)
        return value if isinstance(value, str) else ""

    if kind == VERSION_12:
        completion, success = STATUS_MAP_12.get(get("cmi.core.lesson_status"), ("not attempted", "unknown"))
        raw, low, high = (_decimal(get(f"cmi.core.score.{part}")) for part in ("raw", "min", "max"))
        scaled_score = None if raw is None else _clamp(scaled(raw, low, high), -1, 1).quantize(Decimal("1E-7"))
        return Summary(completion=completion, success=success, score_raw=raw, score_min=low, score_max=high,
                       score_scaled=scaled_score, session_seconds=seconds(kind, get("cmi.core.session_time")),
                       location=get("cmi.core.lesson_location"), suspend_data=get("cmi.suspend_data"),
                       exit=get("cmi.core.exit"))
    completion, success = get("cmi.completion_status"), get("cmi.success_status")
    return Summary(
        completion=completion if completion in COMPLETION else "unknown",
        success=success if success in SUCCESS else "unknown",
        score_raw=_decimal(get("cmi.score.raw")), score_min=_decimal(get("cmi.score.min")),
        score_max=_decimal(get("cmi.score.max")), score_scaled=_decimal(get("cmi.score.scaled")),
        session_seconds=seconds(kind, get("cmi.session_time")), location=get("cmi.location"),
        suspend_data=get("cmi.suspend_data"), exit=get("cmi.exit"),
    )


def scaled(raw: Decimal, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    """``raw`` as a fraction of ``low``..``high``; a missing bound is 0 or 100, an empty range counts as 0..100."""
    low = Decimal(0) if low is None else low
    high = Decimal(100) if high is None else high
    if high <= low:
        low, high = Decimal(0), Decimal(100)
    return (raw - low) / (high - low)


def _clamp(value: Decimal, low: int, high: int) -> Decimal:
    return min(max(value, Decimal(low)), Decimal(high))


def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if len(value) <= 40 and REAL.fullmatch(value) else None


def seconds(version: str, value: str) -> Decimal | None:
    """A 1.2 CMITimespan (``0001:02:03.5``) or a 2004 duration (``PT1H2M3.5S``) in seconds; None when not one."""
    if family(version) == VERSION_2004:
        return _duration_seconds(value)
    match = TIMESPAN_12.fullmatch(value)
    if match is None:
        return None
    hours, minutes, secs = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + Decimal(secs)


def _duration_seconds(value: str) -> Decimal | None:
    """An ISO 8601 duration in SCORM 2004's form ``P[yY][mM][dD][T[hH][nM][s[.s]S]]``: at least one part, and a
    "T" only before a time part."""
    match = DURATION.fullmatch(value)
    if match is None or not any(match.groups()) or ("T" in value and not any(match.groups()[4:])):
        return None
    total = Decimal(0)
    for unit, part in zip(("Y", "M", "W", "D", "h", "m"), match.groups()[:6], strict=True):
        total += int(part or 0) * SECONDS[unit]
    return total + Decimal(match.group(7) or 0)


def _hundredths(value: Decimal) -> int:
    return int((max(Decimal(value), Decimal(0)) * 100).to_integral_value(ROUND_HALF_UP))


def timespan_12(value: Decimal) -> str:
    """Seconds as a SCORM 1.2 CMITimespan, ``HHHH:MM:SS.SS``; beyond 9999 hours it stays at the largest one."""
    hours, rest = divmod(min(_hundredths(value), 9999 * 360000 + 359999), 360000)
    minutes, rest = divmod(rest, 6000)
    return f"{hours:04d}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"


def duration_2004(value: Decimal) -> str:
    """Seconds as a SCORM 2004 duration in hours, minutes and seconds (``PT1H2M3.5S``; zero is ``PT0S``)."""
    hours, rest = divmod(_hundredths(value), 360000)
    minutes, rest = divmod(rest, 6000)
    whole, cents = divmod(rest, 100)
    secs = f"{whole}.{cents:02d}".rstrip("0") if cents else str(whole)
    text = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "PT" + text + (f"{secs}S" if rest or not text else "")
