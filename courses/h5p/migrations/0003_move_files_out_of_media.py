from django.core.files.storage import storages
from django.db import migrations


def move_files_out_of_media(apps, schema_editor):
    """Libraries and content were stored in the ``default`` (media) storage unless the site chose another alias
    (the demo chose ``lms_h5p``); they now live in the private ``lms_h5p`` storage (exams.private_files). Move what
    is still in ``default`` there, through the storage API, unless the site still points LMS_H5P_STORAGE at it."""
    from courses.h5p import conf
    from exams.private_files import move_files, private_storage

    if conf.H5P_STORAGE == "default":
        return
    source, target = storages["default"], private_storage(conf.H5P_STORAGE)
    for model in ("H5PLibrary", "H5PActivity"):
        for prefix in apps.get_model("lms_h5p", model).objects.values_list("storage_path", flat=True).iterator():
            move_files(source, target, prefix)


class Migration(migrations.Migration):

    dependencies = [
        ("lms_h5p", "0002_add_activity_claim_policy"),
    ]

    operations = [
        migrations.RunPython(move_files_out_of_media, migrations.RunPython.noop, elidable=True),
    ]
