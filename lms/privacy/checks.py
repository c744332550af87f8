"""System checks of the personal-data declarations (lms/privacy/registry.py): a declaration that names a field
the model lacks, an unknown erase mode or a retention key with no period fails ``manage.py check``."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from lms import conf
from lms.privacy import registry, rules


def _path_exists(model, path: str) -> bool:
    if path == "pk":
        return True
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        model = field.related_model or model
    return True


@checks.register()
def check_personal_data_declarations(app_configs=None, **kwargs):
    errors = []
    periods = conf.PRIVACY_RETENTION
    for d in registry.declarations():
        problems = []
        if d.erase not in registry.ERASE_MODES:
            problems.append(f"erase must be one of {registry.ERASE_MODES}, not {d.erase!r}")
        if d.employee_number_at and d.person:
            problems.append("declares both person and employee_number_at")
        for path in (d.person or "pk", *d.personal, *d.sensitive, *d.actors, *d.retained_from):
            if not _path_exists(d.model, path):
                problems.append(f"names {path!r}, which the model does not have")
        if not set(d.sensitive) <= set(d.personal):
            problems.append("every sensitive field must also be listed as personal")
        if d.retention is not None:
            if d.retention not in periods:
                problems.append(f"retention {d.retention!r} is not a key of LMS_PRIVACY_RETENTION")
            elif not d.retained_from:
                problems.append("a retention needs retained_from (the dates its period counts from)")
            else:
                try:
                    rules.parse_period(periods[d.retention])
                except rules.PeriodError as error:
                    problems.append(str(error))
        errors += [checks.Error(f"{d.label}: personal-data declaration {p}", id="lms_privacy.E001") for p in problems]
    return errors
