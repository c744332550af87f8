"""The models of ``exams``, by what they hold: the question bank (``bank``), exams (``exam``), attempts
(``attempt``) and the content review workflow's task (``review``)."""

from exams.models.attempt import Attempt, AttemptQuestion, Regrade
from exams.models.bank import Difficulty, Kind, Question, QuestionCategory, QuestionTag
from exams.models.exam import REVIEW_WHAT, REVIEW_WHEN, Exam, ExamOverride, ExamSection, GradingMethod, Layout
from exams.models.review import SecondTrainerApprovalTask

__all__ = [
    "REVIEW_WHAT",
    "REVIEW_WHEN",
    "Attempt",
    "AttemptQuestion",
    "Difficulty",
    "Exam",
    "ExamOverride",
    "ExamSection",
    "GradingMethod",
    "Kind",
    "Layout",
    "Question",
    "QuestionCategory",
    "QuestionTag",
    "Regrade",
    "SecondTrainerApprovalTask",
]
