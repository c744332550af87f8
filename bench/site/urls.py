"""The demo URLs plus the baseline of the load benchmarks: a bare Django JSON view.

The demo's patterns are listed here, not included: an include is one more level to resolve, and the demo
mounts the decision endpoint at the top level (first, as docs/install.md asks of host sites). The bare view
comes first, so the baseline never waits for a pattern the endpoint does not."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from demo import urls as demo_urls


@csrf_exempt  # GET or POST: the permit benchmark posts JSON like a door controller
def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *demo_urls.urlpatterns]
