"""The models of ``courses``: the pages (``pages``) and the learner records below them (``enrollment``)."""

from courses.models.enrollment import Enrollment, LessonCompletion
from courses.models.pages import Category, CourseIndexPage, CoursePage, LessonPage, get_course_or_404

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "Enrollment",
    "LessonCompletion",
    "LessonPage",
    "get_course_or_404",
]
