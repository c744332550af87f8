"""Serving extracted H5P files and the player's resume state. Views translate and delegate.

Every file goes out with ``X-Content-Type-Options: nosniff`` and a sandboxing content security policy:
the player loads them as scripts, styles and images (where a response's CSP does not apply), while a
direct visit to an SVG or HTML file gets an opaque-origin sandbox with no scripts. Range requests are
answered (206) so video can seek.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from courses.h5p import selectors, services, tokens
from courses.h5p.models import H5PActivity

CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"
TYPES = {
    ".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf", ".eot":
    "application/vnd.ms-fontobject", ".vtt": "text/vtt", ".webvtt": "text/vtt", ".mp4": "video/mp4",
    ".webm": "video/webm", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".wav": "audio/wav",
    ".txt": "text/plain", ".md": "text/plain", ".csv": "text/plain", ".xml": "text/plain", ".gltf":
    "model/gltf+json", ".glb": "model/gltf-binary",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_type(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def safe_path(path: str) -> str:
    parts = path.split("/")
    if not path or "\\" in path or "\x00" in path or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        raise Http404
    return path


def _activity_for(request, pk: int) -> H5PActivity:
    activity = get_object_or_404(H5PActivity.objects.select_related("main_library"), pk=pk)
    if not selectors.can_play(user=request.user, activity=activity):
        raise PermissionDenied
    return activity


def serve_file(request, storage_name: str, name: str, *, store=None, csp: str = CSP):
    """Stream one stored file with ranges, ``nosniff`` and ``csp`` (also used by ``courses.scorm``)."""
    store = store or services.storage()
    try:
        size = store.size(storage_name)
        fh = store.open(storage_name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    match = RANGE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        start_s, end_s = match.groups()
        if start_s:
            start, end = int(start_s), min(int(end_s) if end_s else size - 1, size - 1)
        else:
            start, end = max(size - int(end_s), 0), size - 1
        if start >= size or start > end:
            fh.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _headers(response, name, csp)
        fh.seek(start)
        length = end - start + 1

        def chunks(remaining=length, chunk=64 * 1024):
            try:
                while remaining > 0:
                    data = fh.read(min(chunk, remaining))
                    if not data:
                        break
                    remaining -= len(data)
                    yield data
            finally:
                fh.close()

        response = StreamingHttpResponse(chunks(), status=206, content_type=content_type(name))
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        response = FileResponse(fh, content_type=content_type(name))
        response["Content-Length"] = str(size)
    return _headers(response, name, csp)


def _headers(response, name: str, csp: str = CSP):
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = csp
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def package_file(request, pk: int, path: str):
    """h5p.json and content/… of an activity."""
    activity = _activity_for(request, pk)
    path = safe_path(path)
    if path != "h5p.json" and not path.startswith("content/"):
        raise Http404
    return serve_file(request, f"{activity.storage_path}/{path}", path)


@login_required
@require_http_methods(["GET", "HEAD"])
def library_file(request, pk: int, folder: str, path: str):
    """A file of one of the activity's libraries, under ``<machineName-major.minor>/``."""
    activity = _activity_for(request, pk)
    path = safe_path(path)
    library = selectors.library_for(activity=activity, folder=folder)
    if library is None:
        raise Http404
    return serve_file(request, f"{library.storage_path}/{path}", path)


@csrf_exempt  # H5P core posts with jQuery and no CSRF header; the signed per-user token in the URL replaces it
@login_required
@require_http_methods(["GET", "POST"])
def state(request, pk: int):
    activity = _activity_for(request, pk)
    if not tokens.state_token_matches(request.GET.get("token", ""), user=request.user, activity=activity):
        raise PermissionDenied
    if request.method == "GET":
        data = selectors.state_for(user=request.user, activity=activity)
        return JsonResponse({"success": True, "data": data if data is not None else False})
    try:
        services.state_save(user=request.user, activity=activity, data=request.POST.get("data", ""))
    except ValidationError as exc:
        return JsonResponse({"success": False, "message": " ".join(exc.messages)}, status=413)
    return JsonResponse({"success": True})


@login_required
def my_results(request):
    """A person's own H5P results (every counted attempt, the server's score)."""
    return render(request, "lms_h5p/my_results.html", {"results": selectors.statements_for(user=request.user)[:500]})
