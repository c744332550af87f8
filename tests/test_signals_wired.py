"""Every signal a lower app sends has its listener connected by the apps' ``ready()`` alone, in a fresh process
where no test has imported the receivers' modules (a receiver module nobody imports listens to nothing)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, django
django.setup()
from certificates.signals import certificate_changed
from courses.h5p.signals import h5p_result_recorded
from courses.signals import course_completed
from exams.signals import attempt_ended_for_leaving, attempt_finished, grade_recorded, proctor_acted
from exams.signals import personal_data_exported, question_regraded, room_refused, room_rules_changed
from django.db.models.signals import post_save
from exams import identity
from exams.services import room
from lms.people.selectors import person_label
from lms.permits.selectors import exam_counts_for_permit
from lms.permits.signals import denies_written
from lms.signals import recorded
from lms.appraisals.signals import appraisal_closed
from lms.archive.export_jobs import _KINDS
from lms.requirements import area_permits
from lms.agreements.models import AgreementPage
print(json.dumps({
    "recorded": recorded.has_listeners(),
    "denies_written": denies_written.has_listeners(),
    "attempt_finished": attempt_finished.has_listeners(),
    "grade_recorded": grade_recorded.has_listeners(),
    "question_regraded": question_regraded.has_listeners(),
    "proctor_acted": proctor_acted.has_listeners(),
    "room_refused": room_refused.has_listeners(),
    "room_rules_changed": room_rules_changed.has_listeners(),
    "room_rules_watched": any(key[0] == "lms_exams_room_rules_after" for key, *rest in post_save.receivers),
    "attempt_ended_for_leaving": attempt_ended_for_leaving.has_listeners(),
    "personal_data_exported": personal_data_exported.has_listeners(),
    "group_renamed": any(key[0] == "lms_audit_group_after" for key, *rest in post_save.receivers),
    "person_namer": person_label in identity._NAMERS,
    "permit_check": exam_counts_for_permit in room._PERMIT_CHECKS,
    "course_completed": course_completed.has_listeners(),
    "h5p_result_recorded": h5p_result_recorded.has_listeners(),
    "certificate_changed": certificate_changed.has_listeners(),
    "export_kinds": sorted(_KINDS),
    "area_permits": area_permits._reader is not None,
    "agreement_view": AgreementPage.view_context.__name__,
}))
"""


def test_the_apps_connect_their_receivers_and_hooks_when_they_start():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    wired = json.loads(done.stdout.strip().splitlines()[-1])
    assert wired == {
        "recorded": True, "denies_written": True, "attempt_finished": True, "course_completed": True,
        "grade_recorded": True, "question_regraded": True, "proctor_acted": True, "room_refused": True,
        "room_rules_changed": True, "room_rules_watched": True,
        "attempt_ended_for_leaving": True, "personal_data_exported": True, "group_renamed": True,
        "person_namer": True, "permit_check": True,
        "h5p_result_recorded": True, "certificate_changed": True, "export_kinds": ["archive", "matrix", "person"],
        "area_permits": True, "agreement_view": "agreement_view_for",
    }
