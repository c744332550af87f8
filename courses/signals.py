"""Signals of the courses app. Each is sent with ``transaction.on_commit`` and documented in
docs/architecture.md as an extension point.

- ``course_completed(sender=Enrollment, enrollment, user, course, completed_at)``: a person completed a
  course (all lessons, and the final exam where the completion rule asks for it). Sent once per enrollment.
- ``lesson_completed(sender=LessonCompletion, enrollment, lesson, user)``: a lesson was marked done.
"""

from django.dispatch import Signal

course_completed = Signal()
lesson_completed = Signal()
