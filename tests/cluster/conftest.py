"""The cluster: PostgreSQL (a database created for the run on the server the PG* variables name, dropped after), a
Redis of its own, two gunicorn app servers (A and B, one process each, on two ports) and two ``db_worker``
processes, all with tests/cluster/settings.py (the production settings). Started once per run, stopped by PID.

Outside CI it is skipped, with the reason, when redis-server, the redis package or PostgreSQL is missing; in CI
(CI=true) that fails instead. LMS_CLUSTER_INVALIDATION=0 starts the servers with the door copies' cross-process
invalidation switched off, to show that the test catches it (docs/operations.md)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import redis_server
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Cluster:
    a: str
    b: str
    world: dict
    worker_logs: list[Path]
    procs: list[subprocess.Popen] = field(default_factory=list)

    def worker_lines(self, text: str) -> list[str]:
        """The lines of both workers' logs that contain ``text`` (django-tasks logs each task's state)."""
        return [line for log in self.worker_logs for line in log.read_text(errors="replace").splitlines()
                if text in line]


def _postgres() -> tuple[dict | None, str]:
    """(connection parameters, "") or (None, why not)."""
    if not os.environ.get("PGHOST"):
        return None, "PostgreSQL is not configured (set PGHOST, PGPORT, PGUSER as .ci/run does)"
    params = {"host": os.environ["PGHOST"], "port": os.environ.get("PGPORT", "5432"),
              "user": os.environ.get("PGUSER", "postgres"), "password": os.environ.get("PGPASSWORD", "")}
    try:
        import psycopg

        psycopg.connect(dbname="postgres", connect_timeout=3, **params).close()
    except Exception as exc:
        return None, f"PostgreSQL at {params['host']}:{params['port']} is unreachable: {exc}"
    return params, ""


def _admin_sql(params: dict, sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql)


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    import requests

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def cluster():
    reason = redis_server.missing()
    params, pg_reason = _postgres()
    if reason or pg_reason:
        skip_or_fail(reason or pg_reason)
    folder = Path(tempfile.mkdtemp(prefix="lms-cluster-"))
    database = f"lms_cluster_{secrets.token_hex(4)}"
    procs: list[subprocess.Popen] = []
    redis_proc, redis_url = redis_server.start()
    procs.append(redis_proc)
    created = False
    try:
        _admin_sql(params, f'CREATE DATABASE "{database}"')
        created = True
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "DJANGO_SETTINGS_MODULE": "tests.cluster.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "PGHOST": params["host"], "PGPORT": str(params["port"]), "PGUSER": params["user"],
            "PGPASSWORD": params["password"], "PGDATABASE": database,
            "LMS_REDIS_URL": redis_url,
            "LMS_MEDIA_ROOT": str(folder / "media"), "LMS_PRIVATE_ROOT": str(folder / "private"),
            "LMS_STATIC_ROOT": str(folder / "static"),
            "DJANGO_LOG_LEVEL": "INFO",
        }
        env.pop("LMS_TEST_DATABASE", None)
        subprocess.run([sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env,
                       check=True, timeout=600)
        out = subprocess.run([sys.executable, "-m", "tests.cluster.world"], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True, timeout=300).stdout
        world = json.loads(out.strip().splitlines()[-1])
        servers = []
        for name in ("a", "b"):
            port = redis_server.free_port()
            log = folder / f"server-{name}.log"
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "demo.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "4", "--timeout", "120", "--graceful-timeout", "5"],
                cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            )
            procs.append(proc)
            servers.append((f"http://127.0.0.1:{port}", proc, log))
        worker_logs = []
        for number in (1, 2):
            log = folder / f"worker-{number}.log"
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "django", "db_worker", "--interval", "0.2", "--no-startup-delay",
                 "--worker-id", f"cluster-worker-{number}"],
                cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            ))
            worker_logs.append(log)
        for url, proc, log in servers:
            _wait_healthy(url, proc, log)
        yield Cluster(a=servers[0][0], b=servers[1][0], world=world, worker_logs=worker_logs, procs=procs)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        if created:
            _admin_sql(params, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
