"""Registration only: the H5P admin menu group (activities snippet, results, libraries)."""

from wagtail.snippets.models import register_snippet

from courses.h5p.viewsets import H5PViewSetGroup

register_snippet(H5PViewSetGroup)
