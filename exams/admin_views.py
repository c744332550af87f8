"""Admin pages that are not plain CRUD: the manual grading queue, item analysis (with an Excel export) and the
question bank's Excel import / export. They translate and delegate to services and selectors."""

from __future__ import annotations

import io
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from exams import bank_excel, localization, proctoring, selectors
from exams.bank import preview_question
from exams.models import AttemptQuestion, Exam, Question
from exams.services.authoring import review_applies
from exams.services.grades import grade_confirm, grade_record, question_regrade
from exams.views import _decorate

PICK_LIMIT = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _queue() -> list[AttemptQuestion]:
    """The first 200 rows waiting, each with how often its candidate left the exam page (one query)."""
    return list(proctoring.with_leaves(selectors.grading_queue())[:200])


@permission_required("lms_exams.change_attemptquestion", raise_exception=True)
def grading_queue(request):
    rows = _queue()
    return TemplateResponse(request, "lms_exams/admin/grading_queue.html", {"rows": rows})


@require_POST
@permission_required("lms_exams.change_attemptquestion", raise_exception=True)
def grade(request, pk: int):
    row = get_object_or_404(AttemptQuestion, pk=pk)
    try:
        if request.POST.get("action") == "confirm":
            grade_confirm(attempt_question=row, grader=request.user)
            messages.success(request, _("Grade confirmed."))
        else:
            try:
                points = Decimal(request.POST.get("points", "").strip())
            except InvalidOperation as exc:
                raise ValidationError(_("Enter the points as a number.")) from exc
            grade_record(attempt_question=row, grader=request.user, points=points,
                                  comment=request.POST.get("comment", ""))
            messages.success(request, _("Grade saved."))
    except (ValidationError, PermissionDenied) as exc:  # nothing changed: the queue again, with the reason
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        rows = _queue()
        status = 403 if isinstance(exc, PermissionDenied) else 400
        return TemplateResponse(request, "lms_exams/admin/grading_queue.html", {"rows": rows}, status=status)
    return redirect("lms_exams_admin:grading_queue")


@permission_required("lms_exams.view_exam", raise_exception=True)
def item_analysis(request, exam_id: int):
    exam = get_object_or_404(Exam, pk=exam_id)
    rows, alpha, people = selectors.exam_item_analysis(exam=exam)
    if request.GET.get("format") == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_("Item analysis")[:31])
        ws.append([_("Question"), _("Responses"), _("Facility index"), _("Discrimination index"), _("Options chosen")])
        for r in rows:
            text = bank_excel.neutralise(r.text)
            options = ", ".join(f"{k}: {v}" for k, v in r.options.items())
            ws.append([text, r.stats.responses, r.stats.facility, r.stats.discrimination, options])
        ws.append([])
        ws.append([_("Cronbach's alpha (KR-20)"), alpha, _("Graded attempts"), people])
        buffer = io.BytesIO()
        wb.save(buffer)
        return _xlsx(buffer.getvalue(), f"item-analysis-{exam.pk}.xlsx")
    return TemplateResponse(
        request, "lms_exams/admin/item_analysis.html", {"exam": exam, "rows": rows, "alpha": alpha, "people": people}
    )


@permission_required("lms_exams.view_exam", raise_exception=True)
def exam_list(request):
    exams = localization.sources(Exam.objects.all()).order_by("title")
    return TemplateResponse(request, "lms_exams/admin/exam_list.html", {"exams": exams})


class BankImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check, import nothing"), required=False)


@permission_required("lms_exams.add_question", raise_exception=True)
def bank_import(request):
    form = BankImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            errors = [_("The file is too large (at most 20 MB).")]
        else:
            try:
                report = bank_excel.import_bank(upload.read(), user=request.user, dry_run=form.cleaned_data["dry_run"])
            except bank_excel.BankImportError as exc:
                errors = [str(e) for e in exc.errors]
            else:
                text = _(
                    "Checked: %(created)d new, %(updated)d changed, %(unchanged)d unchanged questions; nothing was "
                    "imported."
                ) if report.dry_run else _(
                    "Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged questions."
                )
                if not report.dry_run and review_applies(Question) and (report.created or report.updated):
                    text += " " + _("The changes wait for a second trainer's approval before learners see them.")
                messages.success(request, text % {
                    "created": report.created, "updated": report.updated, "unchanged": report.unchanged})
                return redirect("lms_exams_admin:bank_import")
    return TemplateResponse(request, "lms_exams/admin/bank_import.html", {"form": form, "errors": errors})


@permission_required("lms_exams.view_question", raise_exception=True)
def bank_export(request):
    return _xlsx(bank_excel.export_bank(bank_excel.export_queryset()), "question-bank.xlsx")


@permission_required("lms_exams.change_attempt", raise_exception=True)
def regrade(request, question_id: int):
    """Recompute every finished attempt that drew a question, after its answer key was fixed and published."""
    question = get_object_or_404(Question, pk=question_id)
    affected = selectors.regrade_candidates(question=question)
    if request.method == "POST":
        changes = question_regrade(question=question, by=request.user, reason=request.POST.get("reason", ""))
        moved = sum(1 for c in changes if c.old_score != c.new_score)
        messages.success(request, _("Regraded %(count)d attempts; %(moved)d scores changed.") % {
            "count": len(changes), "moved": moved})
        return redirect("lms_exams_admin:regrade", question_id=question.pk)
    return TemplateResponse(request, "lms_exams/admin/regrade.html", {"question": question, "affected": affected})


def _may_author(user) -> bool:
    return user.has_perm("lms_exams.add_question") or user.has_perm("lms_exams.change_question")


@require_POST
def question_preview(request):
    """The question being edited, as a learner sees it (the learner's own template), for its author's editor.
    Built from the options only: the answer key is not in it (only the number of blanks of a fill-in question)."""
    if not _may_author(request.user):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    try:
        content = json.loads(request.POST.get("content") or "{}")
        key = json.loads(request.POST.get("key") or "{}")
    except ValueError:
        content, key = {}, {}
    try:
        points = Decimal(request.POST.get("points") or "1")
    except InvalidOperation:
        points = Decimal(1)
    question = preview_question(kind=kind, text=request.POST.get("text", ""), content=content, key=key,
                                 points=points)
    html = render_to_string("lms_exams/includes/question.html", {"q": _decorate(question), "readonly": False},
                            request=request)
    return HttpResponse(html)


@permission_required("lms_exams.view_question", raise_exception=True)
def question_pick(request):
    """Questions of the bank for an exam section's fixed-question picker: by text, category (and below), tag,
    type; at most ``PICK_LIMIT`` rows, as JSON."""
    rows, more = selectors.question_search(
        text=request.GET.get("q", ""), category_id=request.GET.get("category") or None,
        tag=request.GET.get("tag", ""), kind=request.GET.get("kind", ""), limit=PICK_LIMIT,
    )
    return JsonResponse({"results": rows, "more": more, "limit": PICK_LIMIT})
