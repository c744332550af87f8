"""Create the six role groups with the permissions of lms.roles.MATRIX, once every app of the plugin has its
tables.

Permissions of every app are created first (Django normally creates them only after migrate finishes).
The post_migrate receiver in lms/receivers.py keeps the groups in step afterwards and adds the Wagtail
page and collection permissions.
"""

from django.db import migrations


def create_groups(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        original, app_config.models_module = app_config.models_module, True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original

    from lms.role_groups import roles_sync

    roles_sync(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    from lms import roles

    apps.get_model("auth", "Group").objects.filter(name__in=roles.ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms_people", "0001_people_departments_positions_induction_programs"),
        ("lms_archive", "0001_training_records_sessions_exports"),
        ("lms_requirements", "0001_areas_and_training_requirements"),
        ("lms_agreements", "0001_agreement_pages_versions_signatures"),
        ("lms_appraisals", "0001_appraisal_periods_and_appraisals"),
        ("lms_permits", "0002_person_facts_version_triggers"),
        ("lms_audit", "0002_ledger_head_row_and_append_only_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
