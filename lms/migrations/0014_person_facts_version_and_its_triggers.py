"""``Person.facts_version``, and the database triggers that change it whenever one of the person's certificates
or permits is written, so the door's hot path knows when to read them again (lms/permits/facts.py)."""

from django.db import migrations, models

import lms.models.people
from lms.permits import facts


def _statements(apps, schema_editor, which: int) -> None:
    quote = schema_editor.quote_name
    tables = {
        "person": quote(apps.get_model("lms", "Person")._meta.db_table),
        "certificate": quote(apps.get_model("lms_certificates", "Certificate")._meta.db_table),
        "permit": quote(apps.get_model("lms", "Permit")._meta.db_table),
    }
    for statement in facts.trigger_sql(schema_editor.connection.vendor, **tables)[which]:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _statements(apps, schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _statements(apps, schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0013_deny_ledger_batches_and_leaner_tally"),
        ("lms_certificates", "0001_certificates_certifications_templates_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="facts_version",
            field=models.BigIntegerField(default=lms.models.people.new_facts_version, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
