from django.core.files.storage import storages
from django.db import migrations


def move_packages(apps, schema_editor):
    """Packages were stored in the ``default`` (media) storage unless the site chose another alias; they now live in
    the private ``lms_scorm`` storage (exams.private_files). Move the files of every version there, through the
    storage API, unless the site still points LMS_SCORM_STORAGE at ``default``."""
    from courses.scorm import conf
    from exams.private_files import move_files, private_storage

    if conf.SCORM_STORAGE == "default":
        return
    source, target = storages["default"], private_storage(conf.SCORM_STORAGE)
    ScormPackage = apps.get_model("lms_scorm", "ScormPackage")
    for prefix in ScormPackage.objects.values_list("storage_path", flat=True).iterator():
        move_files(source, target, prefix)


class Migration(migrations.Migration):

    dependencies = [
        ("lms_scorm", "0001_scorm_activities_versions_attempts"),
    ]

    operations = [
        migrations.RunPython(move_packages, migrations.RunPython.noop, elidable=True),
    ]
