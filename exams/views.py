"""Learner pages: the start page with the rules, the attempt (one question per page or all on one), the result.

Everything works with JavaScript off (plain form posts carrying the attempt's sequence number); with it on,
``exams.js`` adds the countdown and autosave, posting the same form to the same URL."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exams import proctoring, selectors, timing
from exams.identity import person_label
from exams.models import Attempt, Layout
from exams.services import room
from exams.services.attempts import Conflict, answers_save, attempt_close_if_overdue, attempt_start, attempt_submit


@login_required
@require_http_methods(["GET", "POST"])
def exam_start(request: HttpRequest, exam_id: int):
    now = timezone.now()
    if request.method == "POST":
        # The exam, the person's override and attempts are read once for the checks and the start.
        facts = selectors.start_facts(exam=exam_id, user=request.user, live_only=True)
        exam = facts.exam
        try:
            selectors.require_learner_start(exam=exam, user=request.user, now=now, facts=facts)
            room.require_for_start(request=request, exam=exam, code=request.POST.get("start_code"))
            attempt = attempt_start(
                exam=exam, user=request.user, now=now, facts=facts,
                device=room.device_for_start(request=request, exam=exam),
            )
            room.bind(attempt=attempt, request=request)
            room.require_for_attempt(request=request, attempt=attempt)  # an attempt in progress elsewhere
        except room.RoomRefused as exc:
            messages.error(request, exc.message)
            return redirect("lms_exams:start", exam_id=exam.pk)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("lms_exams:start", exam_id=exam.pk)
        return redirect("lms_exams:attempt", pk=attempt.pk)
    exam = selectors.exam_for_learner(pk=exam_id)
    _remember_return_to(request, exam_id=exam.pk)
    attempts = list(selectors.attempts_of(user=request.user, exam=exam))
    for attempt in attempts:
        attempt_close_if_overdue(attempt=attempt, now=now)
    percent, passed = selectors.final_result(exam=exam, user=request.user)
    context = {
        "exam": exam,
        "check": selectors.learner_start_check(exam=exam, user=request.user, now=now),
        "attempts": [
            {"attempt": a, "review": selectors.review_options(attempt=a, now=now)}
            for a in selectors.attempts_of(user=request.user, exam=exam)
        ],
        "in_progress": next((a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None),
        "final_percent": percent,
        "passed": passed,
        "room": _room_context(request, exam),
    }
    return render(request, "lms_exams/exam_start.html", context)


def _room_context(request: HttpRequest, exam) -> dict:
    """What the start page tells a candidate about the exam room before they start."""
    rules = room.rules(exam)
    in_network = room.in_allowed_network(request, exam)
    return {
        "rules": rules,
        "in_network": in_network,
        "refusal": "" if in_network else room.network_refusal(exam, room.client_address(request)),
    }


def _refused(request: HttpRequest, exc: room.RoomRefused, *, wants_json: bool, attempt=None):
    if wants_json:
        return JsonResponse({"detail": exc.message, "code": exc.code}, status=403)
    return render(request, "lms_exams/room_refused.html", {"message": exc.message, "attempt": attempt}, status=403)


def _return_key(exam_id: int) -> str:
    return f"lms_exams_return_to_{exam_id}"


def _remember_return_to(request: HttpRequest, *, exam_id: int) -> None:
    """A page that sends people to an exam (a course, the confidentiality agreement) passes ``?return_to=<path>``;
    the result page then offers the way back. Only local URLs are kept."""
    target = request.GET.get("return_to", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[_return_key(exam_id)] = target


def _parse(request: HttpRequest, question: dict) -> object:
    """The response to one question from the posted form (the same fields ``question.html`` renders)."""
    name = f"q-{question['position']}"
    kind = question["kind"]
    if kind == "multiple":
        return request.POST.getlist(name)
    if kind == "fill":
        return [request.POST.get(f"{name}-{i}", "") for i in range(question.get("blanks", 0))]
    if kind == "matching":
        return {p["id"]: request.POST.get(f"{name}-{p['id']}", "") for p in question.get("prompts", [])}
    if kind == "ordering":
        # Not answered until the learner numbers every item or ticks "keep the order shown": the page starts with
        # empty numbers, so an untouched question sends nothing and scores 0 (the shown order is never the key).
        items = question.get("items", [])
        raws = [request.POST.get(f"{name}-{item['id']}", "").strip() for item in items]
        if not any(raws):
            return [item["id"] for item in items] if request.POST.get(f"{name}-keep") else None
        ranks = []
        for index, (item, raw) in enumerate(zip(items, raws, strict=True)):
            try:
                ranks.append((int(raw), index, item["id"]))
            except ValueError:
                return None
        return [item_id for __, __, item_id in sorted(ranks)]
    value = request.POST.get(name)
    return None if value in (None, "") else value


def _decorate(question: dict) -> dict:
    """Presentation helpers for the template (selected values per input)."""
    response = question.get("response")
    if question["kind"] == "fill":
        given = response if isinstance(response, list) else []
        question["fill_values"] = [given[i] if i < len(given) else "" for i in range(question.get("blanks", 0))]
    elif question["kind"] == "matching":
        given = response if isinstance(response, dict) else {}
        question["pairs"] = [(p, given.get(p["id"], "")) for p in question.get("prompts", [])]
    elif question["kind"] == "ordering":
        order = response if isinstance(response, list) else []
        question["ranks"] = [  # no number until the learner gives one: a pre-filled order would be an answer
            (item, order.index(item["id"]) + 1 if item["id"] in order else None)
            for item in question.get("items", [])
        ]
    elif question["kind"] == "multiple":
        question["chosen"] = response if isinstance(response, list) else []
    elif question["kind"] == "truefalse":
        question["tf"] = "" if response is None else ("true" if response else "false")
    if question.get("right_answer"):
        question["right_answer_text"] = _right_answer_text(question)
    return question


def _right_answer_text(question: dict) -> str:
    key = question["right_answer"]
    labels = {o["id"]: o["text"] for field in ("options", "choices", "items") for o in question.get(field, [])}
    kind = question["kind"]
    if kind in ("single", "multiple"):
        return "; ".join(labels.get(str(i), str(i)) for i in key.get("correct", []))
    if kind == "truefalse":
        return _("True") if key.get("correct") else _("False")
    if kind == "fill":
        return "; ".join(" / ".join(map(str, alternatives)) for alternatives in key.get("blanks", []))
    if kind == "numeric":
        return f"{key.get('value')} ± {key.get('tolerance', 0)}"
    if kind == "matching":
        prompts = {p["id"]: p["text"] for p in question.get("prompts", [])}
        return "; ".join(f"{prompts.get(p, p)} → {labels.get(c, c)}" for p, c in key.get("pairs", {}).items())
    if kind == "ordering":
        return " → ".join(labels.get(i, i) for i in key.get("order", []))
    if kind == "short":
        return " / ".join(map(str, key.get("answers", [])))
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def attempt_take(request: HttpRequest, pk: int):
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    now = timezone.now()
    wants_json = request.headers.get("X-Autosave") == "1"
    if attempt_close_if_overdue(attempt=attempt, now=now):
        if wants_json:
            return JsonResponse({"detail": _("The time for this attempt is over."), "code": "overdue"}, status=409)
        messages.warning(request, _("The time ran out; your saved answers were submitted."))
        return redirect("lms_exams:result", pk=attempt.pk)
    if attempt.is_finished:
        if wants_json:
            return JsonResponse({"detail": _("This attempt is already finished."), "code": "finished"}, status=409)
        return redirect("lms_exams:result", pk=attempt.pk)
    try:
        room.require_for_attempt(request=request, attempt=attempt)
    except room.RoomRefused as exc:
        return _refused(request, exc, wants_json=wants_json, attempt=attempt)
    if wants_json and request.method == "GET":  # exams.js asks for the server's clock (a proctor may have added time)
        return JsonResponse(_clock(attempt, now))
    view = selectors.attempt_view(attempt=attempt, now=now)
    questions = view["questions"]
    one_per_page = attempt.exam.layout == Layout.ONE_PER_PAGE
    page_count = len(questions) if one_per_page else 1
    try:
        page = min(max(1, int(request.POST.get("page") or request.GET.get("page") or 1)), page_count)
    except ValueError:
        page = 1
    shown = questions[page - 1 : page] if one_per_page else questions
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            seq = int(request.POST.get("seq", ""))
        except ValueError:
            seq = 0
        responses = {q["position"]: _parse(request, q) for q in shown}
        try:
            attempt = answers_save(
                attempt=attempt, seq=seq, responses=responses, now=now, from_learner=True
            )
        except Conflict as exc:
            if wants_json:
                return JsonResponse({"detail": exc.message, "code": exc.code, "next_seq": exc.next_seq}, status=409)
            messages.error(request, exc.message + " " + _("Your answers on this page were not saved."))
            return redirect(f"{reverse('lms_exams:attempt', args=[attempt.pk])}?page={page}")
        except ValidationError as exc:
            if wants_json:
                return JsonResponse({"detail": " ".join(exc.messages), "code": "invalid"}, status=400)
            messages.error(request, " ".join(exc.messages) + " " + _("Your answers on this page were not saved."))
            return redirect(f"{reverse('lms_exams:attempt', args=[attempt.pk])}?page={page}")
        if wants_json:
            return JsonResponse({"next_seq": attempt.next_seq, "saved_at": now.isoformat(),
                                 "saved_at_text": timezone.localtime(now).strftime("%H:%M:%S"),  # as the page writes it
                                 **_clock(attempt, now)})
        if action == "submit":
            attempt_submit(attempt=attempt, now=now)
            messages.success(request, _("Your attempt was submitted."))
            return redirect("lms_exams:result", pk=attempt.pk)
        messages.success(request, _("Your answers were saved."))
        target = {"next": page + 1, "previous": page - 1}.get(action, page)
        if action.startswith("goto-") and action[5:].isdigit():
            target = int(action[5:])
        return redirect(f"{reverse('lms_exams:attempt', args=[attempt.pk])}?page={max(1, min(target, page_count))}")
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "view": view,
        "questions": [_decorate(q) for q in shown],
        "all_questions": questions,
        "page": page,
        "page_count": page_count,
        "one_per_page": one_per_page,
        "room": room.rules(attempt.exam),
        "watermark": person_label(request.user),
    }
    return render(request, "lms_exams/attempt_take.html", context)


def _clock(attempt: Attempt, now) -> dict:
    """The server's deadline, which the page's countdown adopts: the server owns it (a proctor may add time), the
    candidate's computer only counts down to it. ``seconds_left`` is None for an attempt without a deadline."""
    deadline = attempt.deadline_at
    return {
        "seconds_left": timing.seconds_left(now=now, deadline_at=deadline),
        "deadline_at": timezone.localtime(deadline).isoformat() if deadline else None,  # as the page writes it
        "deadline_text": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT") if deadline else "",
    }


@login_required
@require_http_methods(["POST"])
def attempt_events(request: HttpRequest, pk: int):
    """The exam page's reports of leaving it (exams.js, JSON ``{"events": [{"kind", "at"}, ...]}``): recorded with
    the attempt; past the exam's limit the attempt ends. Answers JSON: how many so far, the limit, whether it ended."""
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    if attempt_close_if_overdue(attempt=attempt) or attempt.is_finished:
        return JsonResponse({"detail": _("This attempt is already finished."), "code": "finished"}, status=409)
    try:
        room.require_for_attempt(request=request, attempt=attempt)
    except room.RoomRefused as exc:
        return _refused(request, exc, wants_json=True)
    try:
        payload = json.loads(request.body or b"{}")
        events = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(events, list):
            raise ValueError
    except (ValueError, RequestDataTooBig):
        detail = _("Send the events as JSON: {\"events\": [...]}.")
        return JsonResponse({"detail": detail, "code": "invalid"}, status=400)
    try:
        outcome = room.events_record(attempt=attempt, events=events)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages), "code": "invalid"}, status=400)
    body = {"recorded": outcome.recorded, "leaves": outcome.leaves, "limit": outcome.limit, "ended": outcome.ended}
    if outcome.ended:
        body["result_url"] = reverse("lms_exams:result", args=[attempt.pk])
        messages.warning(request, _("Your attempt ended: the exam page was left %(count)d times, as often as this exam "
                                    "allows. It was graded with the answers saved so far.") % {"count": outcome.leaves})
    return JsonResponse(body)


@login_required
def attempt_result(request: HttpRequest, pk: int):
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    now = timezone.now()
    attempt_close_if_overdue(attempt=attempt, now=now)
    attempt.refresh_from_db()
    if not attempt.is_finished:
        return redirect("lms_exams:attempt", pk=attempt.pk)
    view = selectors.attempt_view(attempt=attempt, now=now)
    review = selectors.review_options(attempt=attempt, now=now)
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "view": view,
        "review": review,
        "questions": [_decorate(q) for q in view["questions"]],
        "return_to": request.session.get(_return_key(attempt.exam_id), ""),
        "next": _next_attempt(attempt=attempt, user=request.user, now=now),
        "watermark": person_label(request.user),
        "ended_by_proctor_at": _in_site_zone(proctoring.ended_by_proctor_at(attempt)),
    }
    return render(request, "lms_exams/attempt_result.html", context)


def _in_site_zone(at) -> str:
    """``at`` as the site's clock shows it (``TIME_ZONE``, the proctor's and the exam room's), whatever zone the
    request is in; empty for None."""
    return formats.date_format(timezone.localtime(at, timezone.get_default_timezone()), "DATETIME_FORMAT") if at else ""


def _next_attempt(*, attempt: Attempt, user, now) -> dict:
    """What the result page says about trying again: attempts left, and whether another may start now."""
    check = selectors.learner_start_check(exam=attempt.exam, user=user, now=now)
    in_progress = selectors.attempts_of(user=user, exam=attempt.exam).filter(state=Attempt.State.IN_PROGRESS).first()
    left = max(check.attempts_allowed - check.attempts_used, 0) if check.attempts_allowed else None
    return {"check": check, "left": left, "in_progress": in_progress}
