"""A server process killed with SIGKILL in the middle of an attempt loses no acknowledged answer.

A real server (``manage.py runserver --noreload`` on a SQLite WAL file, as the demo runs) takes sequenced
autosaves from a client; it is killed with SIGKILL while saves are in flight. Every save the client got a 200
for must be in the database afterwards, and a restarted server continues from the right sequence number."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django; django.setup()
from rest_framework.authtoken.models import Token
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory
from exams.services.attempts import attempt_start
user = UserFactory(username="taker")
exam = make_exam(questions=[make_question("essay"), make_question("single")])
attempt = attempt_start(exam=exam, user=user)
print(json.dumps({"token": Token.objects.create(user=user).key, "attempt": attempt.pk}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env, port):
    proc = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for __ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def save(port, token, attempt, seq, text):
    body = json.dumps({"seq": seq, "answers": {"1": text}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/attempts/{attempt}/answers/", data=body, method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return json.loads(response.read())


def test_sigkill_mid_attempt_loses_no_acknowledged_answer(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.exams.server_settings",
           "LMS_SERVER_DB": str(tmp_path / "db.sqlite3"), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([sys.executable, "-c", "import json\n" + SETUP], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    ids = json.loads(out.strip().splitlines()[-1])
    port = free_port()
    server = start_server(env, port)
    acknowledged: list[int] = []
    stop = threading.Event()

    def client():
        seq = 1
        while not stop.is_set():
            try:
                result = save(port, ids["token"], ids["attempt"], seq, f"answer {seq}")
            except (urllib.error.URLError, ConnectionError, OSError):
                return  # the server died mid-request: this save was never acknowledged
            acknowledged.append(seq)
            seq = result["next_seq"]

    thread = threading.Thread(target=client)
    thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)
    server.wait()
    stop.set()
    thread.join(10)
    assert len(acknowledged) >= 40
    last = acknowledged[-1]
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        next_seq = db.execute("select next_seq from lms_exams_attempt where id=?", (ids["attempt"],)).fetchone()[0]
        response = db.execute(
            "select response from lms_exams_attemptquestion where attempt_id=? and position=1", (ids["attempt"],)
        ).fetchone()[0]
    # the acknowledged save is there (or one more that committed just before the kill, whose reply was lost)
    assert next_seq in (last + 1, last + 2)
    assert json.loads(response) == f"answer {next_seq - 1}"
    server = start_server(env, port)
    try:
        assert save(port, ids["token"], ids["attempt"], next_seq, "after restart")["next_seq"] == next_seq + 1
        with pytest.raises(urllib.error.HTTPError) as caught:
            save(port, ids["token"], ids["attempt"], last, "replay")
        assert caught.value.code == 409
    finally:
        server.kill()
        server.wait()
