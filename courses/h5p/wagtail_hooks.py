"""Registration only: the H5P admin menu group (activities snippet, results, libraries)."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from courses.h5p.models import H5PLibrary, H5PStatement
from courses.h5p.viewsets import H5PViewSetGroup, ReadOnlyPermissionPolicy

register_permission_policy(H5PLibrary, ReadOnlyPermissionPolicy(H5PLibrary))
register_permission_policy(H5PStatement, ReadOnlyPermissionPolicy(H5PStatement))
register_snippet(H5PViewSetGroup)
