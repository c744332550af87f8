"""Reads of the exam engine. A person only ever gets their own attempts (``attempt_for`` raises 404 otherwise),
and learner views of an attempt carry answer keys and feedback only when the exam's review options allow."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from exams import access, grading, item_analysis, localization, option_ids, scoring, timing
from exams.models import Attempt, AttemptQuestion, Exam, ExamOverride, Question, QuestionCategory
from exams.prepared import Prepared


def exam_for_learner(*, pk: int) -> Exam:
    exam = localization.sources(Exam.objects.filter(pk=pk, live=True)).first()  # a translation is not sat
    if exam is None:
        raise Http404
    return exam


def attempt_for(*, user, pk: int) -> Attempt:
    """The person's own attempt, or 404 (never 403: the attempt's existence is not revealed)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    attempt = Attempt.objects.select_related("exam").filter(pk=pk, user=user).first()
    if attempt is None:
        raise Http404
    return attempt


def attempts_of(*, user, exam: Exam) -> QuerySet[Attempt]:
    if not getattr(user, "is_authenticated", False):
        return Attempt.objects.none()
    return Attempt.objects.filter(user=user, exam=exam).order_by("number")


def category_children() -> dict[int | None, list[int]]:
    """Every category's children (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in QuestionCategory.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def category_tree_ids(category: QuestionCategory | int, *, children: dict | None = None) -> set[int]:
    """The category and everything below it (one query, none given ``category_children()``)."""
    children = category_children() if children is None else children
    root = category if isinstance(category, int) else category.pk
    ids, frontier = {root}, [root]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, []) if c not in ids]
        ids.update(frontier)
    return ids


def section_pool(section, *, categories: set[int] | None = None) -> list[int]:
    """Live questions a section may draw from (category and below, all tags, difficulty); ``categories``: the
    category and below, when the caller has them."""
    if not section.draw_count:
        return []
    qs = localization.sources(Question.objects.filter(live=True))  # a translation is not another question
    if section.draw_category_id:
        qs = qs.filter(category_id__in=categories or category_tree_ids(section.draw_category_id))
    for tag in section.tag_names:
        qs = qs.filter(tags__name=tag)
    if section.draw_difficulty:
        qs = qs.filter(difficulty=section.draw_difficulty)
    return list(qs.order_by("pk").values_list("pk", flat=True).distinct())


def seen_question_ids(*, exam: Exam, user) -> frozenset[int]:
    return frozenset(
        AttemptQuestion.objects.filter(attempt__exam=exam, attempt__user=user, question__isnull=False).values_list(
            "question_id", flat=True
        )
    )


@dataclass(frozen=True)
class StartFacts:
    """What starting an attempt needs to know about one person and one exam, read once per request: the exam, the
    person's override and their attempts (``start_facts``)."""

    exam: Exam
    override: ExamOverride | None
    attempts: tuple[Attempt, ...]

    @property
    def in_progress(self) -> Attempt | None:
        return next((a for a in self.attempts if a.state == Attempt.State.IN_PROGRESS), None)


_ATTEMPT_COLUMNS = tuple(f.attname for f in Attempt._meta.concrete_fields)


def _exam_for_start(exam_id: int, user_id: int, *, live_only: bool) -> QuerySet[Exam]:
    """The exam once per attempt of the person (once, with nulls, when they have none), with their override and
    each attempt's columns joined on: one query for all the facts of a start."""
    found = Exam.objects.filter(pk=exam_id, **({"live": True} if live_only else {})).annotate(
        own=FilteredRelation("overrides", condition=Q(overrides__user_id=user_id)),
        mine=FilteredRelation("attempts", condition=Q(attempts__user_id=user_id)),
    )
    return found.annotate(
        own_pk=F("own__pk"), own_extra_minutes=F("own__extra_minutes"), own_extra_attempts=F("own__extra_attempts"),
        **{f"mine_{name}": F(f"mine__{name}") for name in _ATTEMPT_COLUMNS},
    ).order_by("mine__number")


# The read of every start, compiled once per process (exams.prepared).
_EXAM_FOR_START = Prepared(Exam, lambda exam_id, user_id: _exam_for_start(exam_id, user_id, live_only=False))
_LIVE_EXAM_FOR_START = Prepared(Exam, lambda exam_id, user_id: _exam_for_start(exam_id, user_id, live_only=True))


def start_facts(*, exam: Exam | int, user, live_only: bool = False) -> StartFacts:
    """The facts of a start: given the exam's id, the exam with the person's override and attempts in one query (404
    when there is no such exam, or, with ``live_only``, no published one); given the exam, two queries."""
    if isinstance(exam, Exam):
        override = ExamOverride.objects.filter(exam=exam, user=user).first()
        attempts = tuple(Attempt.objects.filter(exam=exam, user=user).order_by("number"))
    else:
        rows = (_LIVE_EXAM_FOR_START if live_only else _EXAM_FOR_START).rows(int(exam), user.pk)
        if not rows:
            raise Http404
        exam = rows[0]
        override = None if exam.own_pk is None else ExamOverride(
            pk=exam.own_pk, exam=exam, user=user, extra_minutes=exam.own_extra_minutes,
            extra_attempts=exam.own_extra_attempts,
        )
        db, columns = exam._state.db, _ATTEMPT_COLUMNS
        attempts = tuple(
            Attempt.from_db(db, columns, [getattr(row, f"mine_{name}") for name in columns])
            for row in rows if row.mine_id is not None
        )
    for attempt in attempts:
        attempt.exam = exam
    return StartFacts(exam=exam, override=override, attempts=attempts)


@dataclass(frozen=True)
class StartCheck:
    allowed: bool
    reason: str = ""
    attempts_used: int = 0
    attempts_allowed: int = 0  # 0: unlimited
    next_start_at: datetime | None = None


def start_check(*, exam: Exam, user, now: datetime, facts: StartFacts | None = None) -> StartCheck:
    """Whether the person may start a new attempt now, and why not."""
    facts = facts or start_facts(exam=exam, user=user)
    override, attempts = facts.override, facts.attempts
    allowed = exam.attempts_allowed + (override.extra_attempts if override and exam.attempts_allowed else 0)
    used = len(attempts)
    base = {"attempts_used": used, "attempts_allowed": allowed}
    if not exam.live:
        return StartCheck(False, _("This exam is not published."), **base)
    window = timing.Window(open_at=exam.open_at, close_at=exam.close_at)
    if not timing.is_open(window, now=now):
        if exam.open_at and now < exam.open_at:
            return StartCheck(False, _("This exam is not open yet."), **base)
        return StartCheck(False, _("This exam is closed."), **base)
    if allowed and used >= allowed:
        return StartCheck(False, _("You have used all your attempts."), **base)
    finished = [a.submitted_at for a in attempts if a.submitted_at]
    next_at = timing.next_start_at(
        last_finished_at=max(finished) if finished else None, delay=timedelta(minutes=exam.attempt_delay_minutes)
    )
    if next_at and now < next_at:
        return StartCheck(False, _("You may start your next attempt later."), next_start_at=next_at, **base)
    return StartCheck(True, **base)


def learner_start_check(*, exam: Exam, user, now: datetime, facts: StartFacts | None = None) -> StartCheck:
    """``start_check`` for the learner pages and the API: first, whether the person may take this exam at all
    (``exams.access``: enrolled in its course, or otherwise allowed)."""
    facts = facts or start_facts(exam=exam, user=user)
    check = start_check(exam=exam, user=user, now=now, facts=facts)
    if not access.may_take(user=user, exam=exam, has_override=facts.override is not None):
        reason = _("This exam is only for the people enrolled in its course or assigned to it.")
        return replace(check, allowed=False, reason=reason, next_start_at=None)
    return check


def require_learner_start(*, exam: Exam, user, now: datetime, facts: StartFacts | None = None) -> None:
    """PermissionDenied (with the reason) when a learner page or the API must not start an attempt for ``user``;
    an attempt in progress may always go on."""
    facts = facts or start_facts(exam=exam, user=user)
    if facts.in_progress is not None:
        return
    check = learner_start_check(exam=exam, user=user, now=now, facts=facts)
    if not check.allowed:
        raise PermissionDenied(check.reason)


def final_result(*, exam: Exam, user) -> tuple[Decimal | None, bool]:
    """(the percent that counts under the exam's grading method, passed) from the graded attempts."""
    graded = [
        grading.Graded(started_at=a.started_at, percent=a.score_percent)
        for a in attempts_of(user=user, exam=exam).filter(state=Attempt.State.GRADED)
    ]
    percent = grading.final_percent(exam.grading_method, graded)
    return percent, percent is not None and percent >= exam.pass_percent


def exam_passed(*, exam: Exam, user) -> bool:
    return final_result(exam=exam, user=user)[1]


def attempts_remain(*, exam: Exam, user, now: datetime) -> bool:
    """Whether the person could still start another attempt some time (attempts left, the exam not closed)."""
    if exam.close_at and now >= exam.close_at:
        return False
    if not exam.attempts_allowed:
        return True
    override = ExamOverride.objects.filter(exam=exam, user=user).first()
    allowed = exam.attempts_allowed + (override.extra_attempts if override else 0)
    return Attempt.objects.filter(exam=exam, user=user).count() < allowed


def review_options(*, attempt: Attempt, now: datetime) -> dict[str, bool]:
    """What the person may see of ``attempt`` now: during / right after / after the exam closes.

    An attempt that did not pass shows at most its score while the person may try again (their next attempt must
    not come with the answers), unless the exam's option ``review_failed_details`` says otherwise."""
    exam = attempt.exam
    if not attempt.is_finished:
        return exam.review("during")
    if exam.close_at and now >= exam.close_at:
        review = exam.review("closed")
    else:
        review = exam.review("after")
    if (
        attempt.is_passed is not True
        and not exam.review_failed_details
        and attempts_remain(exam=exam, user=attempt.user_id, now=now)
    ):
        review = {what: (value if what == "score" else False) for what, value in review.items()}
    return review


def learner_question(row: AttemptQuestion, review: dict[str, bool], *, finished: bool) -> dict[str, Any]:
    """The learner's view of one frozen question: never the key, unless ``review`` allows it, and never the bank's
    option ids (``exams.option_ids``: opaque ids of this attempt)."""
    snap = row.snapshot
    content = snap.get("content") or {}
    ids = option_ids.IdMap.for_row(row)
    view: dict[str, Any] = {
        "position": row.position,
        "kind": snap["kind"],
        "text": snap["text"],
        "points": row.points,
        "response": ids.response_to_learner(row.response),
        "saved_at": row.saved_at,
        "is_answered": scoring.is_answered(row.response),  # a saved blank (a field emptied) is not an answer
    }
    for field in ("options", "prompts", "choices", "items"):
        if field in content:
            view[field] = [{"id": ids.to_learner(field, o["id"]), "text": o.get("text", "")} for o in content[field]]
    if snap["kind"] == "fill":
        view["blanks"] = len(snap["key"].get("blanks") or [])
    if finished and review.get("score") and review.get("correctness"):
        view["earned"] = row.earned  # the points of one question tell whether it was right
    if finished and review.get("correctness"):
        result = row.auto_score()
        view["is_correct"] = None if result.needs_manual else result.is_correct
    if review.get("answers") and finished:
        view["right_answer"] = ids.key_to_learner(snap["key"])
    if review.get("feedback") and finished:
        chosen = row.response if isinstance(row.response, list) else [row.response]
        view["feedback"] = snap.get("general_feedback", "")
        view["option_feedback"] = {
            ids.feedback_key(k): v for k, v in (snap.get("option_feedback") or {}).items()
            if str(k) in {str(c) for c in chosen}
        }
        if row.grader_comment and (row.confirmed_by_id or not row.attempt.exam.requires_second_grader):
            view["grader_comment"] = row.grader_comment
    return view


def attempt_view(*, attempt: Attempt, now: datetime) -> dict[str, Any]:
    review = review_options(attempt=attempt, now=now)
    rows = list(attempt.questions.all())  # in position order; a new attempt holds them already (no query)
    data: dict[str, Any] = {
        "id": attempt.pk,
        "exam": attempt.exam_id,
        "exam_title": attempt.exam.title,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at,
        "deadline_at": attempt.deadline_at,
        "seconds_left": timing.seconds_left(now=now, deadline_at=attempt.deadline_at)
        if not attempt.is_finished else None,
        "next_seq": attempt.next_seq,
        "questions": [learner_question(r, review, finished=attempt.is_finished) for r in rows],
    }
    if attempt.is_finished and review.get("score"):
        data.update(score=attempt.score, max_score=attempt.max_score, score_percent=attempt.score_percent,
                    is_passed=attempt.is_passed)
    return data


def regrade_candidates(*, question: Question) -> int:
    """How many finished attempts drew ``question`` (and would be recomputed by a regrade)."""
    return (
        Attempt.objects.filter(questions__question=question)
        .exclude(state=Attempt.State.IN_PROGRESS)
        .distinct()
        .count()
    )


def grading_queue() -> QuerySet[AttemptQuestion]:
    """Manual answers waiting for a grade, or for the second grader's confirmation."""
    waiting = Q(grader__isnull=True) | Q(
        attempt__exam__requires_second_grader=True, confirmed_by__isnull=True
    )
    return (
        AttemptQuestion.objects.filter(needs_manual=True)
        .filter(attempt__state__in=[Attempt.State.NEEDS_GRADING])
        .filter(waiting)
        .select_related("attempt__exam", "attempt__user", "grader")
        .order_by("attempt__submitted_at", "position")
    )


@dataclass(frozen=True)
class ItemRow:
    question_id: int | None
    text: str
    stats: item_analysis.ItemStats
    options: dict[str, int]


def exam_item_analysis(*, exam: Exam) -> tuple[list[ItemRow], float | None, int]:
    """Facility, discrimination, option counts per question and Cronbach's alpha / KR-20 for the exam."""
    rows: dict[int, dict[int, float | None]] = {}
    texts: dict[int, str] = {}
    picks: dict[int, list[list[str]]] = {}
    for aq in (
        AttemptQuestion.objects.filter(attempt__exam=exam, attempt__state=Attempt.State.GRADED, question__isnull=False)
        .only("attempt_id", "question_id", "earned", "points", "response", "snapshot")
        .iterator()
    ):
        fraction = float(aq.earned or 0) / float(aq.points) if aq.points else 0.0
        rows.setdefault(aq.attempt_id, {})[aq.question_id] = fraction
        texts.setdefault(aq.question_id, aq.snapshot.get("text", ""))
        if aq.snapshot.get("kind") in ("single", "multiple", "truefalse") and aq.response is not None:
            picked = aq.response if isinstance(aq.response, list) else [str(aq.response).lower()]
            picks.setdefault(aq.question_id, []).append([str(p) for p in picked])
    table = list(rows.values())
    stats = item_analysis.items(table)
    alpha = item_analysis.cronbach_alpha(table)
    out = [
        ItemRow(question_id=s.item, text=texts.get(s.item, ""), stats=s,
                options=dict(sorted(item_analysis.option_counts(picks.get(s.item, [])).items())))
        for s in stats
    ]
    return out, alpha, len(table)


def question_search(
    *, text: str = "", category_id: int | str | None = None, tag: str = "", kind: str = "", limit: int = 50
) -> tuple[list[dict[str, Any]], bool]:
    """Questions of the bank for a trainer's picker: words of the text (or the external id), a category and
    everything below it, a tag, a type. Returns at most ``limit`` rows (and whether there were more); a constant
    number of queries."""
    qs = localization.sources(Question.objects.select_related("category__parent"))  # exams pick sources
    for word in text.split():
        qs = qs.filter(Q(text__icontains=word) | Q(external_id__iexact=word))
    if category_id:
        category = QuestionCategory.objects.filter(pk=str(category_id)).first() if str(category_id).isdigit() else None
        qs = qs.filter(category_id__in=category_tree_ids(category)) if category else qs.none()
    if tag.strip():
        qs = qs.filter(tags__name__iexact=tag.strip())
    if kind:
        qs = qs.filter(kind=kind)
    found = list(qs.distinct().order_by("category__name", "pk").prefetch_related("tags")[: limit + 1])
    rows = [
        {"id": q.pk, "text": str(q), "kind": q.get_kind_display(), "category": q.category.path,
         "tags": sorted(t.name for t in q.tags.all()), "live": q.live, "points": str(q.points)}
        for q in found[:limit]
    ]
    return rows, len(found) > limit
