"""A throwaway Redis for tests: ``redis-server`` on a free loopback port, nothing written to disk, stopped by its
PID. Outside CI a missing ``redis-server`` (or the ``redis`` package) skips the tests that need one; in CI it fails
them (``tests.conftest.skip_or_fail``). ``.ci/run`` installs it (tools/system_packages.sh, test profile)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing() -> str | None:
    """Why no Redis can be started here, or None."""
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (Debian: apt-get install redis-server)"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis package is not installed (make install)"
    return None


def start(port: int | None = None) -> tuple[subprocess.Popen, str]:
    """(process, URL) of a new Redis, answering PING."""
    import redis

    port = port or free_port()
    proc = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--protected-mode", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
    for __ in range(100):
        try:
            client.ping()
            return proc, url
        except redis.exceptions.ConnectionError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    stop(proc)
    raise RuntimeError(f"redis-server did not start on port {port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def caches(url: str) -> dict:
    """CACHES for Django's RedisCache at ``url``, as demo/settings/production.py writes them."""
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                        "KEY_PREFIX": "lms-test",
                        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}}
