"""Instructions per door decision, counted by valgrind: a steady figure for comparing two versions of the hot
path on a machine whose timings swing by a quarter (docs/permits.md, "Benchmark").

Runs the benchmark site's WSGI application in one process, without a server, on the data that
``bench/permit.py --keep-db FILE`` left in FILE, and sends it N requests of one kind:

- ``bare``: the bare Django JSON view (the benchmark's baseline);
- ``allow``: decisions for badges that are let in;
- ``deny``: decisions for badges whose certification lapsed;
- ``mixed``: random badges, as the benchmark sends them (one in ten is a deny).

Usage::

    .venv/bin/python bench/permit.py --keep-db /tmp/permit.sqlite3 --rounds 1 --seconds 2
    .venv/bin/python tools/permit_hotpath.py /tmp/permit.sqlite3 allow bare

prints, for each kind, the instructions per request: (count for 1,000 requests − count for none) / 1,000,
each run under ``valgrind --tool=cachegrind --cache-sim=no`` (about two minutes per kind; the two runs of a
kind go side by side). The allowed-entry flush is switched off so that nothing depends on the clock; deny
rows are still written. ``--inside KIND N`` is the run itself.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "Controller bench-controller-token"  # bench/permit.py's controller
WARM = 300


def inside(kind: str, n: int) -> None:
    """Send ``WARM`` then ``n`` requests of ``kind`` to the application, in this process."""
    import django
    from django.conf import settings

    django.setup()
    settings.LMS_PERMIT_TALLY_FLUSH_SECONDS = 1e9  # no flush that depends on the clock
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    random.seed(1)

    def call(path: str, subject: str, auth: str) -> None:
        body = json.dumps({"subject": subject, "area": "ops"}).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.errors": sys.stderr,
            "HTTP_AUTHORIZATION": auth,
        }
        response = app(environ, lambda status, headers: None)
        b"".join(response)
        response.close()

    def badge() -> str:
        if kind == "allow":
            return f"B{random.randrange(1000) * 10 + 1 + random.randrange(9):06d}"  # bench: i % 10 != 0 allowed
        if kind == "deny":
            return f"B{random.randrange(1000) * 10:06d}"
        return f"B{random.randrange(10_000):06d}"

    path = "/bench/bare/" if kind == "bare" else "/api/permits/decide/"
    for _ in range(WARM + n):
        call(path, badge(), TOKEN)


def instructions(db: Path, kind: str, n: int) -> subprocess.Popen:
    out = Path(tempfile.mkstemp(prefix="cachegrind-")[1])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.site.settings",
        "LMS_BENCH_DB": str(db),
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "0",
    }
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        f"--cachegrind-out-file={out}",
        sys.executable,
        __file__,
        "--inside",
        kind,
        str(n),
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    process.out = out  # type: ignore[attr-defined]
    return process


def count(process: subprocess.Popen) -> int:
    _out, err = process.communicate()
    Path(process.out).unlink(missing_ok=True)  # type: ignore[attr-defined]
    found = re.search(r"I\s+refs:\s+([\d,]+)", err)
    if process.returncode or not found:
        sys.exit(f"valgrind run failed:\n{err[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, nargs="?", help="SQLite file from bench/permit.py --keep-db")
    parser.add_argument("kinds", nargs="*", help="bare, allow, deny or mixed (default: allow bare)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--inside", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args.inside[0], int(args.inside[1]))
        return 0
    if args.db is None or not args.db.exists():
        parser.error("give the SQLite file that bench/permit.py --keep-db FILE wrote")
    unknown = set(args.kinds) - {"bare", "allow", "deny", "mixed"}
    if unknown:
        parser.error(f"unknown kind: {', '.join(sorted(unknown))} (bare, allow, deny or mixed)")
    for kind in args.kinds or ["allow", "bare"]:
        base, measured = instructions(args.db, kind, 0), instructions(args.db, kind, args.requests)
        per_request = (count(measured) - count(base)) / args.requests
        print(f"{kind}: {per_request:,.0f} instructions per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
