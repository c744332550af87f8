"""People-facing pages of the archive: an offline session's evidence file and one's own training file."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from exams.private_files import EVIDENCE, file_response
from exams.signals import personal_data_exported
from lms.archive.exports import person_file_export
from lms.archive.models import TrainingSession
from lms.archive.selectors import session_evidence_visible_to
from lms.people.selectors import person_for
from lms.sheets.responses import XLSX


@login_required
def session_evidence(request, pk: int):
    """A session's evidence file, for trainers/HR, the attendees and their managers; 404 for anyone else. A signed
    attendance sheet names people: each download is announced for the audit ledger."""
    session = TrainingSession.objects.filter(pk=pk).first()
    if session is None or not session.evidence or not session_evidence_visible_to(user=request.user, session=session):
        raise Http404
    name = session.evidence.name.rsplit("/", 1)[-1]
    personal_data_exported.send(sender=TrainingSession, user=request.user, export="session_evidence", subject=session,
                                details={"file": name})
    return file_response(EVIDENCE, session.evidence.name, filename=name)


@login_required
def my_training_file(request):
    """The signed-in person's own training file as a workbook (small: streamed at once). One's own records are
    not an export of personal data for the ledger: nothing is announced."""
    person = person_for(request.user)
    if person is None:
        raise Http404
    buffer = io.BytesIO()
    person_file_export(person=person, out=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="training-file-{person.employee_number}.xlsx"'
    return response
