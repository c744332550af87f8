"""Models of lms, one module per topic: people (people, positions, induction programs), archive (training
records and offline sessions), appraisals (periods and appraisals), exports (background export jobs), agreements
(the confidentiality agreement page, its versions and signatures), requirements (training requirements), audit
(the audit ledger); permit models live in lms/permits/models.py."""

from lms.models.agreements import AgreementPage, AgreementSignature, AgreementVersion
from lms.models.appraisals import Appraisal, AppraisalPeriod, PeriodClosed
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
from lms.models.requirements import TrainingRequirement
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
    "AgreementPage",
    "AgreementSignature",
    "AgreementVersion",
    "Appraisal",
    "AppraisalPeriod",
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
    "PeriodClosed",
    "Permit",
    "PermitApproval",
    "PermitEvent",
    "Position",
    "PushDelivery",
    "PushState",
    "SessionAttendance",
    "TrainingRecord",
    "TrainingRequirement",
    "TrainingSession",
    "VisitorEntry",
    "WebhookEndpoint",
]
