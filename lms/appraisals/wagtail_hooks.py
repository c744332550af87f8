"""Registration only: the appraisals' admin menu group and who may change what in it."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.appraisals.models import Appraisal, AppraisalPeriod
from lms.appraisals.viewsets import AppraisalsViewSetGroup, NoAddDeletePermissionPolicy, PeriodPermissionPolicy

register_permission_policy(Appraisal, NoAddDeletePermissionPolicy(Appraisal))
register_permission_policy(AppraisalPeriod, PeriodPermissionPolicy(AppraisalPeriod))
hooks.register("register_admin_viewset", AppraisalsViewSetGroup)
