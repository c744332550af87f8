"""``{% load lms_display %}``: ``{{ value|readable }}`` shows a value as the admin's lists do (exams/admin_display.py):
yes/no, a dash for nothing, a time in the site's zone, an account by its person's name; ``|evidence`` also names
the zone."""

from django import template

from exams import admin_display, localization

register = template.Library()


@register.filter(expects_localtime=False)
def readable(value):
    return admin_display.text(value)


@register.filter(expects_localtime=False)
def evidence(value):
    return admin_display.text(value, zone=True)


@register.filter
def in_reader_language(obj, field: str = "title"):
    """``{{ course|in_reader_language:"title" }}``: a field of a page or snippet in the reader's language (its live
    translation's, else the source's; exams/localization.py)."""
    return getattr(localization.content_of(obj), field) if obj is not None else ""
