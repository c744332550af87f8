"""Signals of the exam engine, each sent with ``transaction.on_commit`` (listed in docs/architecture.md), except
``room_refused`` and ``personal_data_exported``: they are sent at once, because the request changes nothing and
commits nothing; and ``room_rules_changed``, sent in the saving transaction, so that its record commits or rolls back
with the change.

- ``attempt_finished(sender=Attempt, attempt, user, exam, score_percent, is_passed, regraded)``: an attempt got
  its final result (graded automatically on submit or deadline, after manual grading, or again after a regrade).
  Certificates and the training archive listen to it; courses refresh the enrollment of a final exam.
- ``grade_recorded(sender=AttemptQuestion, attempt_question, attempt, grader, action)``: a person graded a
  manually graded answer (``action="recorded"``, points in ``attempt_question.grader_points``) or confirmed
  another grader's points (``action="confirmed"``, the second reviewer). The audit ledger listens to it.
- ``question_regraded(sender=Question, question, by, reason, regrades)``: an answer-key fix was applied to every
  finished attempt that drew ``question``; ``regrades`` are the ``Regrade`` rows (old and new score per
  attempt). Each changed attempt also gets ``attempt_finished(regraded=True)``. The audit ledger listens to it.
- ``proctor_acted(sender=AttemptEvent, event, attempt, by)``: a proctor added time, ended an attempt or released its
  device binding (``event.kind``, ``event.reason``, ``event.minutes``). The audit ledger listens to it.
- ``room_refused(sender=Exam, exam, user, attempt, reason, address)``: the exam room refused a person: ``reason`` is
  ``"network"`` (outside the allowed networks), ``"start_code"`` (a wrong start code), ``"start_code_rate"`` (too
  many wrong codes) or ``"device"`` (another device than the attempt's). The audit ledger listens to it.
- ``attempt_ended_for_leaving(sender=Attempt, attempt, count)``: the page reported leaving it as often as the
  exam allows, and the attempt was ended with its saved answers. The audit ledger listens to it.
- ``room_rules_changed(sender=Exam, exam, before, after, changed)``: an exam's room rules changed (allowed
  networks, start code requirement, one device per attempt, leave limit), by whatever saved it (the admin's editor
  publishing it, code); ``before`` (None for a new exam) and ``after`` are the rule fields' values, ``changed``
  their names (``exams.room_watch``). The audit ledger listens to it.
- ``personal_data_exported(sender, user, export, subject, details)``: records about people left the system as a
  file, for ``user`` (who asked). Not an exam event: it lives here, in the lowest app that exports, so that every
  app's export paths send the same signal: the admin lists' CSV/XLSX exports (``exams.admin_exports``, for every
  list by construction: ``export="admin_list"``, ``sender`` the model listed), certificates downloaded by someone
  other than their holder, and the exports of lms (archive, training matrix, appraisals, audit ledger, ...).
  ``subject`` is the one object the file is about (a person, a certificate, a period, an export job), or None for a
  list; ``details`` say what was asked (format, filters, columns, rows), never the contents. The audit ledger
  listens to it; a receiver that fails fails the export, so no file leaves unrecorded.
"""

from django.dispatch import Signal

attempt_finished = Signal()
grade_recorded = Signal()
question_regraded = Signal()
proctor_acted = Signal()
room_refused = Signal()
attempt_ended_for_leaving = Signal()
room_rules_changed = Signal()
personal_data_exported = Signal()
