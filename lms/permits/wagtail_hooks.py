"""Registration only: the *Access control* admin menu group (lms/permits/viewsets.py) and the permit pages that are
not model listings."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from lms.permits.viewsets import AccessControlViewSetGroup, admin_urls

register_snippet(AccessControlViewSetGroup)  # areas are snippets (translatable); the rest are model viewsets
hooks.register("register_admin_urls", admin_urls)
