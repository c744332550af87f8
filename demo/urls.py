from django.conf import settings
from django.contrib import admin as django_admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.permits.api import DecideApi

urlpatterns = [
    # First, and not behind an include: door controllers wait for this answer, and each level of includes tried
    # before it costs time (docs/install.md). lms.urls mounts the same view at the same URL for other sites.
    path("api/permits/decide/", DecideApi.as_view(), name="permit-decide"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", django_admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lms.urls")),  # login/logout, people-facing lms pages, /api/
    path("learn/", include("courses.urls")),
    path("exams/", include("exams.urls")),
    path("h5p/", include("courses.h5p.urls")),
    path("scorm/", include("courses.scorm.urls")),
    path("certificates/", include("certificates.urls")),
]


def media_urlpatterns() -> list:
    """The development server's media files, except documents: those go only through /documents/, which asks for
    a signed-in person (lms.documents), as a production proxy must (docs/operations.md)."""
    from django.urls import re_path
    from django.views.static import serve

    prefix = settings.MEDIA_URL.strip("/")
    return [re_path(rf"^{prefix}/(?!documents/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]


if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += media_urlpatterns()

urlpatterns.append(path("", include(wagtail_urls)))
