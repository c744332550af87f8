"""The role matrix: which Django/Wagtail permissions each group holds. Pure data plus one sync function.

Groups are created by the data migration ``0002_create_role_groups`` and kept in step with new models by a
``post_migrate`` receiver (a model added later gets its permissions on the next ``migrate``). The matrix is
documented in docs/roles.md and tested in tests/lms/test_roles.py.

Patterns: ``app_label.codename``; ``app_label.*`` (every permission of the app); ``app_label.view_*``; a
pattern starting with ``!`` takes matching permissions away again.

Every sync REPLACES a group's permissions with exactly these (``lms.role_groups.roles_sync``), so a permission taken
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
    # Trainers author content: courses (page permissions below), exams, question bank, H5P, SCORM, offline sessions.
    TRAINER: [
        *ADMIN, *MEDIA_AUTHORING,
        "lms_exams.*",
        # Proctoring the exam room (start codes, added time, ended attempts, released devices) is a trainer's job
        # (docs/roles.md, "The exam room"). An attempt's timeline records what the proctor did: nobody edits it.
        "lms_exams.proctor_exam",
        "!lms_exams.add_attemptevent", "!lms_exams.change_attemptevent", "!lms_exams.delete_attemptevent",
        "lms_h5p.add_*", "lms_h5p.change_*", "lms_h5p.view_*",
        # SCORM: trainers upload packages (a new version each time) and read every attempt; versions and attempts
        # are written by uploads and by the runtime only.
        "lms_scorm.add_scormactivity", "lms_scorm.change_scormactivity", "lms_scorm.view_*",
        "lms_courses.view_enrollment",
        "lms_certificates.view_*",
        "lms_people.view_person", "lms_people.view_department", "lms_people.view_position",
        "lms_archive.add_trainingsession", "lms_archive.change_trainingsession", "lms_archive.view_trainingsession",
        "lms_archive.view_trainingrecord",
        "lms_requirements.*_trainingrequirement",
        # Translating content (docs/translation.md): Wagtail's "Translate" action on pages and snippets.
        "simple_translation.submit_translation",
    ],
    # HR manages people and training (docs/roles.md, "Separation of duties"): an explicit allow-list, never a
    # pattern over the whole app, so a new model (a door controller, say) reaches HR only when it is added here.
    # Areas, background checks, permit decisions, controllers, visitors and the audit ledger belong to security.
    HR: [
        *ADMIN,
        "lms_people.*_person", "lms_people.*_department", "lms_people.*_position",
        "lms_people.*_inductionprogram", "lms_people.*_inductionprogramcourse", "lms_people.*_inductionassignment",
        "lms_archive.*_trainingsession", "lms_archive.*_sessionattendance",
        "lms_archive.view_trainingrecord", "lms_archive.view_all_trainingrecords",
        "lms_agreements.view_agreementsignature", "lms_agreements.view_agreementversion",
        "lms_requirements.*_trainingrequirement", "lms_requirements.view_trainingmatrix",
            "lms_requirements.view_all_trainingmatrix",
        "lms_appraisals.*_appraisal", "lms_appraisals.*_appraisalperiod", "lms_appraisals.review_appraisal",
            "lms_appraisals.view_all_appraisals",
        "lms_archive.*_exportjob",
        # Applying for a permit is a request (security checks, approves twice and issues): HR may apply and follow
        # the application, nothing else of the permit.
        "lms_permits.add_permit", "lms_permits.view_permit",
        "lms_courses.add_enrollment", "lms_courses.change_enrollment", "lms_courses.view_enrollment",
        "lms_certificates.*",
        "lms_exams.view_attempt", "lms_exams.view_attemptevent",
    ],
    # Managers see their team (object-level checks narrow it) and enter appraisal scores for their direct reports
    # (lms.appraisals.services.may_score); periods, review and every-person views stay with HR.
    MANAGER: [
        *ADMIN,
        "lms_people.view_person", "lms_people.view_inductionassignment", "lms_archive.view_trainingrecord",
        "lms_courses.view_enrollment",
        "lms_certificates.view_certificate",
        "lms_appraisals.change_appraisal", "lms_appraisals.view_appraisal",
        "lms_agreements.view_agreementsignature",
        "lms_requirements.view_trainingrequirement", "lms_requirements.view_trainingmatrix",
    ],
    # Security officers own areas, background checks and permits. They do not proctor exams (no
    # lms_exams.proctor_exam): the exams that gate a permit are a trainer's, the permit the officer's.
    SECURITY_OFFICER: [
        *ADMIN,
        "lms_people.view_person",
        "lms_certificates.view_*",
        "lms_requirements.*_area", "lms_permits.*_permit", "lms_permits.*_backgroundcheck",
            "lms_permits.*_visitorentry",
        "lms_permits.view_decision", "lms_permits.*_controller", "lms_permits.*_webhookendpoint",
            "lms_permits.view_pushdelivery",
        "lms_requirements.view_trainingrequirement", "lms_requirements.view_trainingmatrix",
            "lms_requirements.view_all_trainingmatrix",
        "lms_audit.view_auditentry",
    ],
    # Auditors read everything (the audit ledger included: lms_audit.view_auditentry), change nothing.
    AUDITOR: [*ADMIN, "lms_*.view_*"],  # every app of the plugin (lms_exams ... lms_audit)
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
