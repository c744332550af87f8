"""A person's copy of their data (PIPL Art. 45, ``lms.privacy.exports``): their own, from "My learning"; anyone's, for
HR from the person's admin page. Each download is announced for the audit ledger (``personal_data_exported``,
``export="my_data"``): who downloaded whose data and how many rows, never the data."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from exams.signals import personal_data_exported
from lms.people.models import Person
from lms.people.selectors import person_for
from lms.privacy.exports import person_copy

# HR, who manage people (docs/roles.md): managers, trainers, auditors and security officers may look at people but
# not take a copy of everything held about one.
HR_PERMISSION = "lms_people.change_person"


def may_download_anyones(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(HR_PERMISSION)


@never_cache
@login_required
def my_data(request):
    """The signed-in person's own copy."""
    return _download(request, request.user, person_for(request.user))


@never_cache
@login_required
def person_data(request, person_id: int):
    """A person's copy, for HR. Anyone else is refused before the person is looked up (no telling who exists)."""
    if not may_download_anyones(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person.objects.select_related("user"), pk=person_id)
    return _download(request, person.user, person)


def _download(request, user, person) -> FileResponse:
    copy = person_copy(user)
    subject = person if person is not None else get_user_model().objects.get(pk=user.pk)
    personal_data_exported.send(
        sender=type(subject), user=request.user, export="my_data", subject=subject,
        details={"format": "zip", "rows": sum(copy.rows.values()), "files": copy.files,
                 "by_the_person": request.user.pk == user.pk},
    )
    who = slugify(person.employee_number if person is not None else user.get_username()) or str(user.pk)
    name = f"data-{who}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(copy.file, as_attachment=True, filename=name, content_type="application/zip")
