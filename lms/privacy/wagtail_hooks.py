"""Registration only: "Download this person's data" in the People list's "More" menu, for HR (the person's edit
page has the same button: lms.people.viewsets.PersonEditView). The download is lms.privacy.views.person_data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from lms.people.models import Person
from lms.privacy.views import may_download_anyones


@hooks.register("register_snippet_listing_buttons")
def person_data_button(snippet, user, next_url=None):
    if not isinstance(snippet, Person) or not may_download_anyones(user):
        return []
    return [Button(_("Download this person's data"), url=reverse("lms_person_data", args=[snippet.pk]),
                   icon_name="download", priority=40)]
