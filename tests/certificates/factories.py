"""Factories for certificates. Certificates themselves are made through the service (``issue``)."""

from __future__ import annotations

import factory

from certificates import services
from certificates.models import Certificate, CertificateTemplate, Certification
from tests.factories import UserFactory, make_course


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTemplate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"模板 {n}")
    language = "zh-hans"
    title = "{certification}合格证书"
    body = "兹证明 {name}（工号 {employee_number}）已完成“{course}”培训，特发此证。"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"安全上岗证 {n}")
    code = factory.Sequence(lambda n: f"cert-{n}")
    validity_days = 365
    recertification_days = 30

    @factory.post_generation
    def courses(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.courses.set(extracted)


def certification_for_course(*, lessons: int = 1, **fields) -> tuple[Certification, object]:
    course = make_course(lessons=lessons)
    certification = CertificationFactory(courses=[course], **fields)
    return certification, course


def issue(*, user=None, certification=None, **kwargs) -> Certificate:
    user = user or UserFactory()
    certification = certification or CertificationFactory()
    return services.certificate_issue(user=user, certification=certification, **kwargs)
