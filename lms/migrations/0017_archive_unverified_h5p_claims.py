"""The archive follows lms_h5p 0002: an H5P attempt stored from a browser's claim the server never checked lost
its score and pass there; its archive record (written when the claim still counted) loses them here too and is
marked "unverified", so an old forged pass no longer stands in anyone's training archive (issue #22)."""

from django.db import migrations


def archive_unverified_claims(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    H5PStatement = apps.get_model("lms_h5p", "H5PStatement")
    TrainingRecord = apps.get_model("lms", "TrainingRecord")
    statement_type = ContentType.objects.filter(app_label="lms_h5p", model="h5pstatement").first()
    if statement_type is None:
        return
    unscored = H5PStatement.objects.filter(is_attempt=True, score_percent__isnull=True).values("pk")
    TrainingRecord.objects.filter(kind="h5p", source_type=statement_type, source_id__in=unscored).update(
        score=None, max_score=None, is_passed=None, outcome="unverified"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lms", "0016_permits_undeletable_and_deny_queue_key"),
        ("lms_h5p", "0002_add_activity_claim_policy"),
    ]

    operations = [migrations.RunPython(archive_unverified_claims, migrations.RunPython.noop)]
