"""The learner's signature. Reading happens on the page itself (``AgreementPage.get_context``); this view only
takes the posted password, asks the service, and shows its answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exams.ratelimit import client_ip
from lms.agreements import services
from lms.agreements.forms import SignForm
from lms.agreements.models import AgreementPage


@login_required
@require_POST
def agreement_sign(request, pk: int):
    page = AgreementPage.objects.live().filter(pk=pk).first()
    if page is None:
        raise Http404
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            signature = services.agreement_sign(
                page=page,
                user=request.user,
                password=form.cleaned_data["password"],
                revision_id=form.cleaned_data["revision"],
                ip_address=client_ip(request) if client_ip(request) != "unknown" else None,
                user_agent=request.headers.get("User-Agent", ""),
                language=translation.get_language(),  # the language the page was shown in
            )
        except ValidationError as exc:
            if exc.code == "stale":  # show the new text with a fresh form
                messages.error(request, " ".join(exc.messages))
                return redirect(page.get_url(request) or "lms_my_learning")
            if exc.code == "wrong_password":
                form.add_error("password", exc.messages[0])
            else:  # shown above the page, whatever step the person is at
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("You signed version %(version)s of “%(title)s”.")
                % {"version": signature.version_label, "title": page.content_for_reader().title},
            )
            return redirect(page.get_url(request) or "lms_my_learning")
    context = page.get_context(request)
    if "sign_form" in context:
        context["sign_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=400)
