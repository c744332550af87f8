"""Load benchmark: 250 simulated exam takers against the demo site under gunicorn (2 workers).

Set-up: a fresh SQLite (WAL) database in a temp folder (or PostgreSQL when PG* variables are set), migrated and
loaded with the demo data; 250 learners with API tokens. All takers start the security final exam at the same
moment (a barrier), then each autosaves an answer every 30–60 s (uniformly random) for the run's duration, then
submits. Each taker also requests a bare Django JSON view right after each save: the baseline, measured in the
same run on the same server. Prints errors and p50/p95/p99 of answer saves beside the bare view's.

Budgets: 0 errors, answer save p95 <= 300 ms. Traffic goes to 127.0.0.1 only.
Usage: .venv/bin/python bench/exam_load.py [--takers 250] [--duration 150]
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P95_BUDGET_MS = 300.0

SETUP = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from courses.models import CoursePage, Enrollment
User = get_user_model()
n = int(sys.argv[1])
users = User.objects.bulk_create([User(username=f"taker{i:04d}") for i in range(n)], ignore_conflicts=True)
users = list(User.objects.filter(username__startswith="taker").order_by("username")[:n])
Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users], ignore_conflicts=True)
tokens = list(Token.objects.filter(user__in=users).values_list("key", flat=True))
course = CoursePage.objects.get(slug="security")  # only its enrolled people may take its final exam (exams.access)
Enrollment.objects.bulk_create([Enrollment(user=u, course=course) for u in users], ignore_conflicts=True)
exam = course.final_exam
print(json.dumps({"tokens": tokens, "exam": exam.pk}))
"""


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answer_for(q):
    kind = q["kind"]
    if kind == "single":
        return random.choice(q["options"])["id"]
    if kind == "multiple":
        return [o["id"] for o in random.sample(q["options"], k=random.randint(1, len(q["options"])))]
    if kind == "truefalse":
        return random.random() < 0.5
    if kind == "fill":
        return ["答案"] * q["blanks"]
    if kind == "numeric":
        return str(random.randint(0, 10))
    if kind == "matching":
        return {p["id"]: random.choice(q["choices"])["id"] for p in q["prompts"]}
    if kind == "ordering":
        items = [i["id"] for i in q["items"]]
        random.shuffle(items)
        return items
    return "我会立即报告并按流程处置。"


class Taker(threading.Thread):
    def __init__(self, port, token, exam, barrier, until, results):
        super().__init__(daemon=True)
        self.port, self.token, self.exam, self.barrier, self.until, self.results = (
            port, token, exam, barrier, until, results)

    def request(self, method, path, body=None):
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return None, (time.perf_counter() - start) * 1000, str(exc)
        return status, (time.perf_counter() - start) * 1000, data

    def run(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        record = self.results
        self.barrier.wait()
        status, ms, data = self.request("POST", f"/api/exams/{self.exam}/attempts/")
        record["start"].append(ms)
        if status != 201:
            record["errors"].append(f"start {status} {data[:200]!r}")
            return
        attempt = json.loads(data)
        seq, questions = attempt["next_seq"], attempt["questions"]
        while True:
            wait = random.uniform(30, 60)
            if time.monotonic() + wait > self.until:
                break
            time.sleep(wait)
            q = random.choice(questions)
            body = {"seq": seq, "answers": {str(q["position"]): answer_for(q)}}
            status, ms, data = self.request("POST", f"/api/attempts/{attempt['id']}/answers/", body)
            if status == 200:
                record["save"].append(ms)
                seq = json.loads(data)["next_seq"]
            else:
                record["errors"].append(f"save {status} {data[:200]!r}")
            status, ms, data = self.request("GET", "/bench/bare/")
            if status == 200:
                record["bare"].append(ms)
            else:
                record["errors"].append(f"bare {status} {data[:200]!r}")
        status, ms, data = self.request("POST", f"/api/attempts/{attempt['id']}/submit/")
        record["submit"].append(ms)
        if status != 200:
            record["errors"].append(f"submit {status} {data[:200]!r}")


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--takers", type=int, default=250)
    parser.add_argument("--duration", type=int, default=150, help="seconds of autosaving after the start")
    args = parser.parse_args()
    began = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.site.settings",
           "LMS_BENCH_DB": str(tmp / "db.sqlite3"), "PYTHONPATH": str(ROOT)}
    python = sys.executable
    print(f"database: {'PostgreSQL' if env.get('PGHOST') else 'SQLite (WAL) ' + str(tmp)}")
    run([python, "-m", "django", "migrate", "--no-input", "-v", "0"], env)
    run([python, "demo/manage.py", "lms_load_demo"], {**env}, stdout=subprocess.DEVNULL)
    setup = run([python, "-c", SETUP, str(args.takers)], env, capture_output=True, text=True).stdout
    info = json.loads(setup.strip().splitlines()[-1])
    print(f"set up in {time.monotonic() - began:.0f} s: {len(info['tokens'])} takers, exam {info['exam']}")
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(python).parent)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "demo.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for __ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        results = {"start": [], "save": [], "bare": [], "submit": [], "errors": []}
        barrier = threading.Barrier(len(info["tokens"]))
        until = time.monotonic() + args.duration
        takers = [Taker(port, t, info["exam"], barrier, until, results) for t in info["tokens"]]
        for t in takers:
            t.start()
        for t in takers:
            t.join(args.duration + 120)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)

    def line(name, values):
        if not values:
            return f"{name:<14} n=0"
        return (f"{name:<14} n={len(values):<5} p50={percentile(values, 50):7.1f} ms  p95={percentile(values, 95):7.1f}"
                f" ms  p99={percentile(values, 99):7.1f} ms  mean={statistics.fmean(values):7.1f} ms")

    print(f"{len(info['tokens'])} takers, synchronised start, autosave every 30-60 s for {args.duration} s")
    print(line("start", results["start"]))
    print(line("answer save", results["save"]))
    print(line("bare view", results["bare"]))
    print(line("submit", results["submit"]))
    for error in results["errors"][:10]:
        print("error:", error)
    p95 = percentile(results["save"], 95)
    errors = len(results["errors"]) + (0 if results["save"] else 1)
    print(f"answer save p95 / bare view p95: {p95 / max(percentile(results['bare'], 95), 0.001):.1f}x; "
          f"total run {time.monotonic() - began:.0f} s")
    print(f"BENCH exam_save_p95_ms {p95:.1f} ms budget <= {P95_BUDGET_MS:g} {'OK' if p95 <= P95_BUDGET_MS else 'OVER'}")
    print(f"BENCH exam_errors {errors} errors budget <= 0 {'OK' if errors == 0 else 'OVER'}")


if __name__ == "__main__":
    main()
