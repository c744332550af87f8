"""The database triggers that change ``Person.facts_version`` whenever one of the person's certificates or permits
is written, so the door's hot path knows when to read them again (lms/permits/facts.py)."""

from django.db import migrations

from lms.permits import facts


def _statements(apps, schema_editor, which: int) -> None:
    quote = schema_editor.quote_name
    tables = {
        "person": quote(apps.get_model("lms_people", "Person")._meta.db_table),
        "certificate": quote(apps.get_model("lms_certificates", "Certificate")._meta.db_table),
        "permit": quote(apps.get_model("lms_permits", "Permit")._meta.db_table),
    }
    for statement in facts.trigger_sql(schema_editor.connection.vendor, **tables)[which]:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _statements(apps, schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _statements(apps, schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("lms_permits", "0001_permits_controllers_decisions_visitors_pushes"),
        ("lms_certificates", "0001_certificates_certifications_templates_keys"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
