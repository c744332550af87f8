"""Models of lms, one module per topic: people (people, positions, induction programs), archive (training
records and offline sessions), exports (background export jobs), audit (the audit ledger); permit models live
in lms/permits/models.py."""

from lms.models.archive import SessionAttendance, TrainingRecord, TrainingSession
from lms.models.audit import AuditEntry, AuditHead
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
    "Area",
    "AuditEntry",
    "AuditHead",
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
