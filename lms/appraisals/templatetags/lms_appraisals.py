"""``{{ value|kpi }}``: a training measure as the appraisal screens show it, "no data" where the period gave it
nothing to count (``arithmetic.training_component`` returns None there, never 100)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def kpi(value) -> str:
    if value is None:
        return _("no data")
    return number_format(value, decimal_pos=1)
