"""Reads of the confidentiality agreement. Other features (the training matrix, permits) may use
``has_signed_current(person)`` and ``unsigned_people(page)``. A person sees only their own signatures; HR and
auditors everyone's, managers their team's (the same rule as the archive)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from exams import localization
from lms.agreements import rules
from lms.agreements.models import AgreementPage, AgreementReminder, AgreementSignature, AgreementVersion
from lms.archive.selectors import people_visible_to
from lms.people.models import Person


def page_content_hash(page: AgreementPage) -> str:
    """The hash of the page's text as it is in this (live) object."""
    blocks = [(block["type"], block["value"]) for block in page.body.raw_data]
    return rules.content_hash(title=page.title, version=page.version, blocks=blocks)


def texts_in_force(page: AgreementPage) -> list[AgreementPage]:
    """The texts a person may sign the current version in: the page itself and each live translation with the
    same version label (a translation left at an older version is not offered: its reader gets the source)."""
    translations = AgreementPage.objects.live().filter(translation_key=page.translation_key, version=page.version)
    return [page, *translations.exclude(pk=page.pk).order_by("pk")]


def _applies_q(page: AgreementPage) -> Q:
    if page.applies_to_everyone:
        return Q()
    return Q(department__in=page.departments.all()) | Q(position__in=page.positions.all())


def audience(page: AgreementPage) -> QuerySet[Person]:
    """Everyone the agreement applies to (people who have left excluded)."""
    return Person.objects.exclude(status=Person.Status.LEFT).filter(_applies_q(page)).distinct()


def applies_to(page: AgreementPage, person: Person) -> bool:
    return rules.applies(
        everyone=page.applies_to_everyone,
        department_ids=[d.pk for d in page.departments.all()],
        position_ids=[p.pk for p in page.positions.all()],
        person_department_id=person.department_id,
        person_position_id=person.position_id,
    )


def unsigned_people(page: AgreementPage) -> QuerySet[Person]:
    """People the (live) agreement applies to who have not signed its current version."""
    version = page.current_version() if page.live else None
    if version is None:
        return Person.objects.none()
    signed = AgreementSignature.objects.filter(version=version, person=OuterRef("pk"))
    return audience(page).filter(~Exists(signed))


def live_agreements():
    pages = localization.sources(AgreementPage.objects.live())  # a translation is not another agreement
    return pages.prefetch_related("departments", "positions").order_by("path")


@dataclass(frozen=True)
class PendingAgreement:
    page: AgreementPage
    version: AgreementVersion


def pending_for(person: Person | None) -> list[PendingAgreement]:
    """Live agreements that apply to ``person`` whose current version they have not signed (a fixed number of
    queries whatever the number of agreements and signatures)."""
    if person is None:
        return []
    pages = [p for p in live_agreements() if applies_to(p, person)]
    if not pages:
        return []
    current: dict[int, AgreementVersion] = {}
    for version in AgreementVersion.objects.filter(page__in=pages).order_by("page_id", "-effective_at", "-pk"):
        current.setdefault(version.page_id, version)
    signed = set(
        AgreementSignature.objects.filter(person=person, version__in=current.values()).values_list(
            "version_id", flat=True
        )
    )
    return [
        PendingAgreement(page=p, version=current[p.pk])
        for p in pages
        if p.pk in current and current[p.pk].pk not in signed
    ]


def has_signed_current(person: Person) -> bool:
    """True when ``person`` has signed the current version of every live agreement that applies to them (also when
    none applies)."""
    return not pending_for(person)


def qualifying_attempt(*, page: AgreementPage, version: AgreementVersion, user):
    """The passed attempt of the page's comprehension check that counts for ``version`` (started after it came
    into force), or None."""
    from exams.models import Attempt

    attempts = Attempt.objects.filter(exam_id=page.exam_id, user=user, started_at__gte=version.effective_at)
    found = rules.qualifying_attempt(
        (
            rules.CheckAttempt(
                pk=a.pk, started_at=a.started_at, is_graded=a.state == Attempt.State.GRADED, is_passed=a.is_passed
            )
            for a in attempts.only("pk", "started_at", "state", "is_passed")
        ),
        version_since=version.effective_at,
    )
    return None if found is None else Attempt.objects.get(pk=found.pk)


def signatures_of(person: Person, page: AgreementPage) -> QuerySet[AgreementSignature]:
    return AgreementSignature.objects.filter(person=person, page=page).order_by("-signed_at")


def agreement_view_for(*, page: AgreementPage, user) -> dict:
    """What the agreement page shows ``user``: their next step, the current version, their own signatures."""
    from lms.people.selectors import person_for

    version = page.current_version() if page.live else None
    person = person_for(user)
    context: dict = {"version": version, "person": person, "step": None, "my_signatures": [], "attempt": None}
    if person is None:
        return context
    signatures = list(signatures_of(person, page))
    has_signed = version is not None and any(s.version_id == version.pk for s in signatures)
    attempt = None
    if version is not None and not has_signed:
        attempt = qualifying_attempt(page=page, version=version, user=user)
    context["can_sign"] = version is not None and attempt is not None
    context.update(
        my_signatures=signatures,
        attempt=attempt,
        step=rules.next_step(
            is_applicable=applies_to(page, person),
            has_version=version is not None,
            has_signed=has_signed,
            has_passed=attempt is not None,
        ),
    )
    return context


def signatures_visible_to(user) -> QuerySet[AgreementSignature]:
    """HR and auditors see every signature, a manager their team's and their own, anyone else their own."""
    return AgreementSignature.objects.filter(person__in=people_visible_to(user))


def agreement_status_rows(*, page: AgreementPage, viewer) -> QuerySet[Person]:
    """The report: everyone the agreement applies to whom ``viewer`` may see, annotated with when they signed the
    current version (``signed_at``, None when not yet) and when they were last reminded to (``reminded_on``)."""
    version = page.current_version()
    people = audience(page).filter(pk__in=people_visible_to(viewer).values("pk"))
    signed_at = AgreementSignature.objects.filter(version=version, person=OuterRef("pk")).values("signed_at")[:1]
    reminded_on = (
        AgreementReminder.objects.filter(version=version, person=OuterRef("pk")).order_by("-sent_on").values("sent_on")
    )[:1]
    return (
        people.select_related("department", "position", "manager")
        .annotate(signed_at=Subquery(signed_at), reminded_on=Subquery(reminded_on))
        .order_by("employee_number")
    )
