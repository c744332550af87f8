"""Registration only: the SCORM admin menu group (activities snippet, attempts, package versions)."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from courses.h5p.viewsets import ReadOnlyPermissionPolicy
from courses.scorm.models import ScormAttempt, ScormPackage
from courses.scorm.viewsets import ScormViewSetGroup

register_permission_policy(ScormPackage, ReadOnlyPermissionPolicy(ScormPackage))
register_permission_policy(ScormAttempt, ReadOnlyPermissionPolicy(ScormAttempt))
register_snippet(ScormViewSetGroup)
