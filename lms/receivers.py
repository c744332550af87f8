"""Receivers of lms itself: the role groups follow the role matrix after every ``migrate``."""

from django.apps import apps
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
