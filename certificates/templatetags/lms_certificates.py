"""``{% load lms_certificates %}{% expiring_certificates %}``: the dashboard's "expiring soon" box."""

from django import template

from certificates.selectors import expiring_for

register = template.Library()


@register.inclusion_tag("lms_certificates/includes/expiring.html", takes_context=True)
def expiring_certificates(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"expiring_certificates": expiring_for(user) if user is not None else []}
