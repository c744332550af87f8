"""The exam room's rules as pure functions (no Django, no database): allowed networks, the proctor's rotating start
code, the device an attempt is bound to, and the events a page reports when the candidate leaves it.

The start code is a time-based code (as TOTP, RFC 6238, with the exam in the message): anyone holding the secret and
the clock computes the same code, so every app server agrees without storing it, and it changes every ``period``
seconds. The code shown just before a rotation is still accepted for one more period (a candidate typing it as it
changes is not refused)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What the exam page reports (exams.js); each one counts toward an exam's leave limit (copying and pasting too).
PAGE_EVENTS = ("focus_lost", "tab_hidden", "fullscreen_exit", "copy", "cut", "paste")
# What the server records about an attempt besides the page's reports.
PROCTOR_EVENTS = ("time_added", "ended", "binding_released")
SYSTEM_EVENTS = ("other_device_refused", "outside_network_refused", "ended_for_leaving")


class BadNetwork(ValueError):
    """A line of an allowed-networks list that is not an address or CIDR network; ``entry`` is the line."""

    def __init__(self, entry: str):
        super().__init__(entry)
        self.entry = entry


def parse_networks(text: str | Iterable[str]) -> list[Network]:
    """Networks from a list written one per line (or separated by commas or spaces): ``192.168.10.0/24``,
    ``2001:db8::/32``, or a single address. Host bits are allowed (``10.1.2.3/24`` is ``10.1.2.0/24``). An empty
    text is an empty list; a line that is neither raises ``BadNetwork`` naming it. ``#`` starts a comment."""
    if isinstance(text, str):
        entries = []
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            entries += line.replace(",", " ").split()
    else:
        entries = [str(e).strip() for e in text if str(e).strip()]
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise BadNetwork(entry) from exc
    return networks


def address_allowed(address: str, networks: list[Network]) -> bool:
    """Whether ``address`` is in one of ``networks`` (an empty list allows every address; an unreadable address is
    never allowed by a non-empty list). ``::ffff:192.0.2.1`` is ``192.0.2.1``."""
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


@dataclass(frozen=True)
class ShownCode:
    code: str
    seconds_left: int  # until the next code


def _code(secret: bytes, exam_id: int, step: int, digits: int) -> str:
    mac = hmac.new(secret, f"lms-exam-start:{exam_id}:{step}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F  # RFC 4226 dynamic truncation
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def start_code(*, secret: bytes, exam_id: int, now: float, period: int, digits: int = 6) -> ShownCode:
    """The code a proctor's screen shows at ``now`` (Unix seconds), and how long it stays."""
    step = int(now // period)
    return ShownCode(_code(secret, exam_id, step, digits), int((step + 1) * period - now))


def start_code_matches(given: str, *, secret: bytes, exam_id: int, now: float, period: int, digits: int = 6) -> bool:
    """Whether ``given`` is the current code or the one just before it. Compared in constant time, and both are
    always compared, so the time taken says nothing about which digits were right."""
    given = "".join(ch for ch in str(given) if not ch.isspace())
    given = given.translate(FULL_WIDTH_DIGITS)
    step = int(now // period)
    current = hmac.compare_digest(given.encode(), _code(secret, exam_id, step, digits).encode())
    previous = hmac.compare_digest(given.encode(), _code(secret, exam_id, step - 1, digits).encode())
    return current | previous


FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # a Chinese input method's digits


def device_fingerprint(token: str) -> str:
    """What an attempt stores about the device that started it: a hash of the browser session's device token (the
    token itself never leaves the session)."""
    return hashlib.sha256(f"lms-exam-device:{token}".encode()).hexdigest()


def leaves(kinds: Iterable[str]) -> int:
    """How many of ``kinds`` count as leaving the page."""
    return sum(1 for kind in kinds if kind in PAGE_EVENTS)


def ends_for_leaving(*, count: int, limit: int) -> bool:
    """Whether an attempt with ``count`` page-leaving events ends, the exam allowing ``limit`` (0: never ends)."""
    return limit > 0 and count >= limit


# An exam's room rules as its fields name them; a change of any of them is recorded (exams.room_watch).
RULE_FIELDS = ("allowed_networks", "requires_start_code", "binds_device", "leave_limit")


def rules_changed(before: dict | None, after: dict) -> list[str]:
    """The rule fields that differ between ``before`` (None: a new exam, with no rules before) and ``after``. A
    networks list differs only in what it allows (spaces, line endings and comments aside: its text trimmed per
    line); a new exam with the rules off changed nothing."""
    before = before or {"allowed_networks": "", "requires_start_code": False, "binds_device": False, "leave_limit": 0}

    def same(name: str) -> bool:
        old, new = before.get(name), after.get(name)
        if name == "allowed_networks":
            return _network_lines(old) == _network_lines(new)
        return old == new

    return [name for name in RULE_FIELDS if not same(name)]


def _network_lines(text: object) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in str(text or "").splitlines() if line.split("#", 1)[0].strip()]
