"""Registration only: the *Training archive* admin menu group, which holds the archive's screens and the
requirements' (lms/requirements/viewsets.py)."""

from wagtail.snippets.models import register_snippet

from lms.requirements.viewsets import ArchiveViewSetGroup

register_snippet(ArchiveViewSetGroup)
