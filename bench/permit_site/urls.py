"""The demo URLs plus the baseline: a bare Django JSON view behind the same middleware."""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request):
    return JsonResponse({"allow": False, "reasons": ["bare"], "valid_until": None})


urlpatterns = [path("bench/bare/", bare), path("", include("demo.urls"))]
