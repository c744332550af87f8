"""Models of lms, one module per topic: people (people, positions, induction programs), archive (training
records and offline sessions), exports (background export jobs)."""

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

__all__ = [
    "Department",
    "ExportJob",
    "InductionAssignment",
    "InductionProgram",
    "InductionProgramCourse",
    "Person",
    "Position",
    "SessionAttendance",
    "TrainingRecord",
    "TrainingSession",
]
