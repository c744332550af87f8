"""Course and lesson pages (content), authored by trainers in the Wagtail admin.

A page is also its own view (``get_context``, ``serve``): it reads the learner records through
``courses.selectors``, which sit between the records (``courses.models.enrollment``) and the pages.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from courses import final_exam, selectors
from courses.blocks import LessonStreamBlock
from courses.page_language import ReadsInReadersLanguage
from courses.pages import Page
from courses.progress import CompletionRule
from exams.models.exam import original_exams


class Category(models.TextChoices):
    SECURITY = "security", _("Security")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    SKILLS = "skills", _("Job skills")
    EMERGENCY = "emergency", _("Emergency plans and drills")
    OTHER = "other", _("Other")


class CourseIndexPage(ReadsInReadersLanguage, Page):
    """The catalogue: lists the live courses below it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["lms_courses.CoursePage"]
    template = "lms_courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def courses(self):
        return CoursePage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = selectors.catalogue_for(index=self, user=request.user)
        return context


class CoursePage(ReadsInReadersLanguage, Page):
    """A course: an ordered set of lesson pages, a completion rule and (later) a final exam and certification."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, default=1, validators=[MinValueValidator(0)]
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=30,
        choices=[
            (CompletionRule.ALL_LESSONS.value, _("All lessons completed")),
            (CompletionRule.ALL_LESSONS_AND_EXAM.value, _("All lessons completed and the final exam passed")),
        ],
        default=CompletionRule.ALL_LESSONS.value,
    )
    allow_self_enrollment = models.BooleanField(_("learners may enrol themselves"), default=True)
    final_exam = models.ForeignKey(
        "lms_exams.Exam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=original_exams,
        verbose_name=_("final exam"),
        help_text=_("With the rule “all lessons and the final exam”, the course completes when this exam is passed."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("estimated_hours"), FieldPanel("completion_rule"),
             FieldPanel("allow_self_enrollment"), FieldPanel("final_exam")],
            heading=_("Course settings"),
        ),
        FieldPanel("summary"),
        FieldPanel("description"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("category")]
    parent_page_types = ["lms_courses.CourseIndexPage"]
    subpage_types = ["lms_courses.LessonPage"]
    template = "lms_courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_view_for(course=self, user=request.user))
        context["final_exam"] = final_exam.summary(course=self, user=request.user)
        return context


class LessonPage(ReadsInReadersLanguage, Page):
    """A lesson: a StreamField body. Completion is recorded by the server when the learner marks it done."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=15)

    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["lms_courses.CoursePage"]
    subpage_types: list[str] = []
    template = "lms_courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def course(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)

    def serve(self, request, *args, **kwargs):
        if getattr(self, "content_page", None) is None and self.is_translation():
            return super().serve(request, *args, **kwargs)  # ReadsInReadersLanguage serves the source
        # Lessons are for enrolled people; anyone else goes to the course page, which offers enrolment.
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        course = self.course
        if selectors.enrollment_for(user=request.user, course=course) is None and not request.user.has_perm(
            "wagtailadmin.access_admin"
        ):
            return redirect(course.url)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_view_for(lesson=self, user=request.user))
        return context


def get_course_or_404(pk: int) -> CoursePage:
    try:
        return CoursePage.objects.live().get(pk=pk)
    except CoursePage.DoesNotExist as exc:
        raise Http404 from exc
