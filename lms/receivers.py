"""Receivers of lms itself: the role groups follow the role matrix after every ``migrate``; a language picked
before signing in is kept on the person's profile."""

from django.apps import apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def sync_role_groups(sender, app_config=None, **kwargs) -> None:
    # post_migrate is sent once per app that has models; on the last one every app's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is None or app_config is not with_models[-1]:
        return
    from lms.role_groups import roles_sync, roles_sync_wagtail

    roles_sync()
    roles_sync_wagtail()
    locales_sync()


def locales_sync() -> None:
    """With Wagtail's localisation on, a Locale for every content language (Wagtail creates only the default)."""
    from django.conf import settings
    from wagtail.models import Locale

    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return
    for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", settings.LANGUAGES):
        Locale.objects.get_or_create(language_code=code)


@receiver(user_logged_in, dispatch_uid="lms_language_picked_before_sign_in")
def keep_language_picked_before_sign_in(sender, request, user, **kwargs) -> None:
    from lms.language import language_picked_before_sign_in

    if request is not None:
        language_picked_before_sign_in(request=request, user=user)
