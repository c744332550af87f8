"""The ledger's head row, and on PostgreSQL a trigger that refuses UPDATE, DELETE and TRUNCATE of the entries
table (docs/audit.md). The table name is read from the model, so the trigger follows the app's label."""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION lms_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS lms_audit_no_update_delete ON {table};
CREATE TRIGGER lms_audit_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION lms_audit_refuse_change();
DROP TRIGGER IF EXISTS lms_audit_no_truncate ON {table};
CREATE TRIGGER lms_audit_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION lms_audit_refuse_change();
"""
DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS lms_audit_no_truncate ON {table};
DROP TRIGGER IF EXISTS lms_audit_no_update_delete ON {table};
DROP FUNCTION IF EXISTS lms_audit_refuse_change();
"""


def create_head(apps, schema_editor):
    apps.get_model("lms_audit", "AuditHead").objects.get_or_create(pk=1)


def _run(sql, apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("lms_audit", "AuditEntry")._meta.db_table)
        schema_editor.execute(sql.format(table=table), params=None)


def create_trigger(apps, schema_editor):
    _run(TRIGGER_SQL, apps, schema_editor)


def drop_trigger(apps, schema_editor):
    _run(DROP_TRIGGER_SQL, apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("lms_audit", "0001_audit_ledger")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
