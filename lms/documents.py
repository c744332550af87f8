"""Wagtail documents (lesson files and videos) are for signed-in people only.

Out of the box Wagtail serves every document to anyone with its link. Course documents are internal training
material of a closed area, so the ``before_serve_document`` hook (registered in ``lms/wagtail_hooks.py``) sends an
anonymous visitor to the sign-in page; every signed-in person still gets the documents of the lessons they see.
Wagtail's own collection privacy (password, groups) still applies on top. Documents are always served through this
check (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``, demo settings); upload size: ``WAGTAILDOCS_MAX_UPLOAD_SIZE``."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login


def signed_in_only(document, request):
    """``before_serve_document`` hook: a redirect to the sign-in page for anonymous visitors, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
