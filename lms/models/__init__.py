"""Models of lms, one module per topic: people (people, positions, induction programs), archive (training
records and offline sessions), appraisals (periods and appraisals), exports (background export jobs); permit
models live in lms/permits/models.py."""

from lms.models.appraisals import Appraisal, AppraisalPeriod, PeriodClosed
from lms.models.archive import SessionAttendance, TrainingRecord, TrainingSession
from lms.models.exports import ExportJob
from lms.models.people import (
    Department,
    InductionAssignment,
    InductionProgram,
    InductionProgramCourse,
    Person,
    Position,
)
from lms.permits.models import (
    Area,
    BackgroundCheck,
    Controller,
    Decision,
    DecisionTally,
    Permit,
    PermitApproval,
    PermitEvent,
    PushDelivery,
    PushState,
    VisitorEntry,
    WebhookEndpoint,
)

__all__ = [
    "Appraisal",
    "AppraisalPeriod",
    "Area",
    "BackgroundCheck",
    "Controller",
    "Decision",
    "DecisionTally",
    "Department",
    "ExportJob",
    "InductionAssignment",
    "InductionProgram",
    "InductionProgramCourse",
    "Person",
    "PeriodClosed",
    "Permit",
    "PermitApproval",
    "PermitEvent",
    "Position",
    "PushDelivery",
    "PushState",
    "SessionAttendance",
    "TrainingRecord",
    "TrainingSession",
    "VisitorEntry",
    "WebhookEndpoint",
]
