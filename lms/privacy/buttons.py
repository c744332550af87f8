"""The admin's buttons of lms.privacy: "Download this person's data" in the People list's "More" menu, for HR (the
person's edit page has the same button: lms.people.viewsets.PersonEditView). Registered by wagtail_hooks.py; the
download is lms.privacy.views.person_data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import Button

from lms.people.models import Person
from lms.privacy.views import may_download_anyones


def person_data_button(snippet, user, next_url=None):
    if not isinstance(snippet, Person) or not may_download_anyones(user):
        return []
    return [Button(_("Download this person's data"), url=reverse("lms_person_data", args=[snippet.pk]),
                   icon_name="download", priority=40)]
