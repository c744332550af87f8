"""Where pushes may go: an access-control endpoint's URL is checked when it is saved and again, after DNS
resolution, each time a push is sent (a name can resolve elsewhere later), so a push carrying employee numbers
never reaches loopback, private, link-local or reserved addresses (blind SSRF).

Rules (``url_problem``): https only (http too when ``LMS_PERMIT_WEBHOOK_ALLOW_HTTP``); no user name or password
in the URL; the host must not be, or resolve to, an address that is not public, unless the host is named in
``LMS_PERMIT_WEBHOOK_ALLOWED_HOSTS`` (an internal access-control system on purpose). ``connect_to`` returns the
checked address, and ``push.deliver`` connects to exactly that address (no second lookup, no redirects)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from lms import conf

PROBLEMS = {
    "scheme": _("Use an https:// URL (plain http is allowed only when the site allows it)."),
    "credentials": _("Do not put a user name or password in the URL."),
    "host": _("The URL needs a host name."),
    "address": _("This URL points to an internal or reserved address; pushes may not go there."),
    "unresolvable": _("The host name of this URL cannot be resolved."),
}


def describe(problem: str) -> str:
    return str(PROBLEMS[problem])


def address_is_public(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified and shared (CGNAT) addresses,
    IPv4-mapped IPv6 included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def _host_allowed(host: str) -> bool:
    return host.lower().rstrip(".") in {h.lower().rstrip(".") for h in conf.PERMIT_WEBHOOK_ALLOWED_HOSTS}


def _literal(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # the forms an URL parser accepts for IPv4 ("2130706433", "0x7f.1", "127.1") as the resolver reads them
        return ipaddress.ip_address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as an endpoint, without DNS (for the form); None when it may be saved."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        _port = parts.port  # a bad port raises ValueError
    except ValueError:
        return "host"
    if parts.scheme != "https" and not (parts.scheme == "http" and conf.PERMIT_WEBHOOK_ALLOW_HTTP):
        return "scheme"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    if not host:
        return "host"
    if _host_allowed(host):
        return None
    if host.rstrip(".").lower() == "localhost" or host.rstrip(".").lower().endswith(".localhost"):
        return "address"
    ip = _literal(host)
    if ip is not None and not address_is_public(str(ip)):
        return "address"
    return None


def connect_to(url: str) -> tuple[str | None, str | None]:
    """(address to connect to, problem) for a push to ``url`` now: the URL's rules, then every address its host
    resolves to must be public (unless the host is allowed). The caller connects to the returned address."""
    problem = url_problem(url)
    if problem:
        return None, problem
    parts = urlsplit(url.strip())
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None, "unresolvable"
    addresses = [info[4][0] for info in infos]
    if not addresses:
        return None, "unresolvable"
    if not _host_allowed(host) and not all(address_is_public(a) for a in addresses):
        return None, "address"
    return addresses[0], None
