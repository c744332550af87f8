from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from lms.permits.api import DecideApi

urlpatterns = [
    path("api/permits/decide/", DecideApi.as_view(), name="permit-decide"),
    path("admin/", include(wagtailadmin_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lms.urls")),
    path("learn/", include("courses.urls")),
    path("exams/", include("exams.urls")),
    path("h5p/", include("courses.h5p.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include(wagtail_urls)),
]
