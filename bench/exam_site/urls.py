"""The demo URLs plus the baseline of the load benchmarks: a bare Django JSON view."""

from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), path("", include("demo.urls"))]
