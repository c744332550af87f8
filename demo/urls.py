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
    path("certificates/", include("certificates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
