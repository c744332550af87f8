"""drf-spectacular hooks."""

ERROR_STATUSES = {
    "400": "Invalid input: `code` is `invalid` (or `parse_error`), `fields` names each wrong field.",
    "401": "Not authenticated (no or a bad session, token or controller token).",
    "403": "Authenticated but not allowed (also: a missing CSRF token with session authentication).",
    "404": "Not found, or not yours: an object you may not see is reported as not found.",
    "405": "Method not allowed.",
    "429": "Too many requests; `Retry-After` says when to try again.",
    "500": "Server error.",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every API error (`lms.api_errors`).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable code, e.g. `not_found`."},
                "message": {"type": "string", "description": "A sentence for people, in the request's language."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Input field → its messages (validation errors only).",
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}


def only_lms_endpoints(endpoints):
    """Keep our API (/api/...) and drop Wagtail's internal admin API, which would fail --fail-on-warn."""
    return [e for e in endpoints if e[0].startswith("/api/")]


def add_error_responses(result, generator, request, public):
    """Document the one error format: an ``Error`` component, referenced by every operation for every error
    status it does not describe itself."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(code, {"content": ref, "description": description})
    return result
