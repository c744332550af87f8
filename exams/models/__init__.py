"""The models of ``exams``, by what they hold: the question bank (``bank``), exams (``exam``), attempts
(``attempt``), what happened in the exam room (``room``) and the content review workflow's task (``review``)."""

from exams.models.attempt import Attempt, AttemptQuestion, Regrade
from exams.models.bank import Difficulty, Kind, Question, QuestionCategory, QuestionTag
from exams.models.exam import REVIEW_WHAT, REVIEW_WHEN, Exam, ExamOverride, ExamSection, GradingMethod, Layout
from exams.models.review import SecondTrainerApprovalTask
from exams.models.room import AttemptEvent

__all__ = [
    "REVIEW_WHAT",
    "REVIEW_WHEN",
    "Attempt",
    "AttemptEvent",
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
