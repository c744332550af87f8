"""Allowed entries: one row per area and hour for each flush, with the people in it as JSON, instead of one row
per person. A flush of a thousand people held SQLite's write lock for about 50 ms (two rows' worth of index
pages per person); now it is one row. Existing rows become one-person rows of the new form."""

from datetime import UTC

from django.db import migrations, models


def people_into_json(apps, schema_editor):
    DecisionTally = apps.get_model("lms", "DecisionTally")
    for tally in DecisionTally.objects.iterator():
        tally.people = {str(tally.person_id): [tally.count, tally.last_at.astimezone(UTC).isoformat()]}
        tally.save(update_fields=["people"])


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0014_person_facts_version_and_its_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisiontally",
            name="people",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(people_into_json, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="decisiontally",
            name="lms_decisio_person__779d74_idx",
        ),
        migrations.RemoveField(
            model_name="decisiontally",
            name="person",
        ),
    ]
