"""The demo URLs plus the baseline of the load benchmarks: a bare Django JSON view."""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # GET or POST: the permit benchmark posts JSON like a door controller
def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), path("", include("demo.urls"))]
