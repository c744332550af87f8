from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "lms.agreements"
    label = "lms_agreements"
    verbose_name = _("Confidentiality agreements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.agreements import (
            exam_access,  # noqa: F401  (an agreement's comprehension check is open to all)
            receivers,  # noqa: F401  (a new version on publish)
        )
        from lms.agreements.models import AgreementPage
        from lms.agreements.selectors import agreement_view_for

        AgreementPage.view_context = staticmethod(agreement_view_for)
