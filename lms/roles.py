"""The role matrix: which Django/Wagtail permissions each group holds. Pure data plus one sync function.

Groups are created by the data migration ``0002_create_role_groups`` and kept in step with new models by a
``post_migrate`` receiver (a model added later gets its permissions on the next ``migrate``). The matrix is
documented in docs/roles.md and tested in tests/lms/test_roles.py.

Patterns: ``app_label.codename``; ``app_label.*`` (every permission of the app); ``app_label.view_*``; a
pattern starting with ``!`` takes matching permissions away again.

Every sync REPLACES a group's permissions with exactly these (``lms.services.roles_sync``), so a permission taken
out of the matrix is taken from existing installs on the next ``migrate``. docs/roles.md's "Permission matrix"
table must say the same: tests/lms/test_roles.py parses it and compares it with the groups.
"""

from __future__ import annotations

import fnmatch

LEARNER = "Learner"
TRAINER = "Trainer"
HR = "HR"
MANAGER = "Manager"
SECURITY_OFFICER = "Security officer"
AUDITOR = "Auditor"

ROLES = (LEARNER, TRAINER, HR, MANAGER, SECURITY_OFFICER, AUDITOR)

ADMIN = ["wagtailadmin.access_admin"]
MEDIA_AUTHORING = [
    "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
    "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
]

MATRIX: dict[str, list[str]] = {
    # Learners use the site, never the admin.
    LEARNER: [],
    # Trainers author content: courses (page permissions below), exams, question bank, H5P, offline sessions.
    TRAINER: [
        *ADMIN, *MEDIA_AUTHORING,
        "lms_exams.*",
        "lms_h5p.add_*", "lms_h5p.change_*", "lms_h5p.view_*",
        "lms_courses.view_enrollment",
        "lms_certificates.view_*",
        "lms.view_person", "lms.view_department", "lms.view_position",
        "lms.add_trainingsession", "lms.change_trainingsession", "lms.view_trainingsession",
        "lms.view_trainingrecord",
        "lms.*_trainingrequirement",
    ],
    # HR manages people and training (docs/roles.md, "Separation of duties"): an explicit allow-list, never a
    # pattern over the whole app, so a new model (a door controller, say) reaches HR only when it is added here.
    # Areas, background checks, permit decisions, controllers, visitors and the audit ledger belong to security.
    HR: [
        *ADMIN,
        "lms.*_person", "lms.*_department", "lms.*_position",
        "lms.*_inductionprogram", "lms.*_inductionprogramcourse", "lms.*_inductionassignment",
        "lms.*_trainingsession", "lms.*_sessionattendance",
        "lms.view_trainingrecord", "lms.view_all_trainingrecords",
        "lms.view_agreementsignature", "lms.view_agreementversion",
        "lms.*_trainingrequirement", "lms.view_trainingmatrix", "lms.view_all_trainingmatrix",
        "lms.*_appraisal", "lms.*_appraisalperiod", "lms.review_appraisal", "lms.view_all_appraisals",
        "lms.*_exportjob",
        # Applying for a permit is a request (security checks, approves twice and issues): HR may apply and follow
        # the application, nothing else of the permit.
        "lms.add_permit", "lms.view_permit",
        "lms_courses.add_enrollment", "lms_courses.change_enrollment", "lms_courses.view_enrollment",
        "lms_certificates.*",
        "lms_exams.view_attempt",
    ],
    # Managers see their team (object-level checks narrow it) and enter appraisal scores for their direct reports
    # (lms.appraisals.services.may_score); periods, review and every-person views stay with HR.
    MANAGER: [
        *ADMIN,
        "lms.view_person", "lms.view_inductionassignment", "lms.view_trainingrecord",
        "lms_courses.view_enrollment",
        "lms_certificates.view_certificate",
        "lms.change_appraisal", "lms.view_appraisal",
        "lms.view_agreementsignature",
        "lms.view_trainingrequirement", "lms.view_trainingmatrix",
    ],
    # Security officers own areas, background checks and permits.
    SECURITY_OFFICER: [
        *ADMIN,
        "lms.view_person",
        "lms_certificates.view_*",
        "lms.*_area", "lms.*_zone", "lms.*_permit", "lms.*_backgroundcheck", "lms.*_visitorentry",
        "lms.view_decision", "lms.*_controller", "lms.*_webhookendpoint", "lms.view_pushdelivery",
        "lms.view_trainingrequirement", "lms.view_trainingmatrix", "lms.view_all_trainingmatrix",
        "lms.view_auditentry",
    ],
    # Auditors read everything (the audit ledger included: lms.view_auditentry), change nothing.
    AUDITOR: [*ADMIN, "lms.view_*", "lms_courses.view_*", "lms_exams.view_*", "lms_certificates.view_*",
              "lms_h5p.view_*"],
}

# Wagtail page permissions granted on the root page (so on every course and lesson).
PAGE_PERMISSIONS: dict[str, list[str]] = {
    TRAINER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    AUDITOR: [],
}

# Collections (images, documents): trainers may add and choose media everywhere.
COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    TRAINER: [
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    ],
}


def expand(patterns: list[str], available: list[str]) -> set[str]:
    """Every permission in ``available`` ("app_label.codename") that one of ``patterns`` matches and no
    ``!pattern`` takes away."""
    include = [p for p in patterns if not p.startswith("!")]
    exclude = [p[1:] for p in patterns if p.startswith("!")]
    return {
        perm for perm in available
        if any(fnmatch.fnmatchcase(perm, p) for p in include) and not any(fnmatch.fnmatchcase(perm, p) for p in exclude)
    }
