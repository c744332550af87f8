"""The demo's pages were written and published by its trainer, as a real site's would be.

The loaders publish pages before the demo people exist, so Wagtail records no publisher and its own reports
(aging pages, site history) would show an empty name; this names the trainer as the author of every publish and
revision that has none. Idempotent: only entries without a user are touched."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import PageLogEntry, Revision


def load(out) -> None:
    trainer = get_user_model().objects.filter(username="trainer").first()
    if trainer is None:
        return
    entries = PageLogEntry.objects.filter(user__isnull=True).update(user=trainer)
    revisions = Revision.page_revisions.filter(user__isnull=True).update(user=trainer)
    if entries or revisions:
        out.write(f"  authorship: {entries} page log entries and {revisions} revisions credited to the trainer")
