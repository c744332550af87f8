"""Who may take an agreement's comprehension check: anyone signed in, when a published agreement page uses the
exam (the check is part of signing; it holds policy questions, not a course's exam bank).

Registered with the exam engine's access registry (``exams.access``) when ``LmsConfig.ready`` imports this module."""

from __future__ import annotations

from exams import access


def comprehension_check_of_an_agreement(user, exam) -> bool:
    from lms.agreements.models import AgreementPage

    return AgreementPage.objects.live().filter(exam=exam).exists()


access.register(comprehension_check_of_an_agreement)
