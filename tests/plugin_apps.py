"""The plugin's app labels, for tests that walk every model or URL of ours (the host site's and Wagtail's are
not ours). ``lms`` itself has no models."""

from django.apps import apps

PACKAGES = ("exams", "courses", "certificates", "lms")


def plugin_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.split(".")[0] in PACKAGES and c.label != "lms"}
