"""Load benchmark: 250 simulated exam takers against the demo site under gunicorn (2 workers), on SQLite (WAL) and,
when PG* variables are set (PGHOST), on PostgreSQL too (a database of its own, created and dropped here).

Set-up per database: a fresh database (SQLite in a temp folder; ``bench_exam_<pid>`` on PostgreSQL), migrated and
loaded with the demo data; 250 learners with API tokens, enrolled in the security course. Its final exam draws 12
questions from the bank in three sections and keeps the demo's exam room: the loopback network, the proctor's start
code (sent by every taker) and one device per attempt. The server is warmed up (both workers have served a start and
the bare view, as on a site that has been running). Then, in the same run on the same server:

1. The bare view (a Django JSON view, the baseline): 250 clients at once, released together by a barrier.
2. The synchronised start: the 250 takers start the exam at once (a barrier), each on its own connection.
3. Autosave: each taker saves an answer every 30–60 s (uniformly random) for ``--duration`` seconds, asking the
   bare view right after each save, then submits.
4. Queries per start, counted in-process (Django's test client against the same database) for one more learner.

Budgets: start p95 <= 1,500 ms, 0 errors, <= 10 queries per start; answer save p95 <= 300 ms. Traffic goes to
127.0.0.1 only. Prints ``BENCH exam_start_p95_ms`` (``_pg`` on PostgreSQL) beside the bare view's p95.
Usage: .venv/bin/python bench/exam_load.py [--takers 250] [--duration 150] [--only sqlite|pg]
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
SAVE_P95_BUDGET_MS = 300.0
START_P95_BUDGET_MS = 1500.0
START_QUERIES_BUDGET = 10

SETUP = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from courses.models import CoursePage, Enrollment
from exams.localization import sources
User = get_user_model()
n = int(sys.argv[1]) + 6  # the last six warm the server up
users = User.objects.bulk_create([User(username=f"taker{i:04d}") for i in range(n)], ignore_conflicts=True)
users = list(User.objects.filter(username__startswith="taker").order_by("username")[:n])
Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users], ignore_conflicts=True)
tokens = dict(Token.objects.filter(user__in=users).values_list("user__username", "key"))
# the original course (it has an English copy); only its enrolled people may take its final exam (exams.access)
course = sources(CoursePage.objects.filter(slug="security")).get()
Enrollment.objects.bulk_create([Enrollment(user=u, course=course) for u in users], ignore_conflicts=True)
print(json.dumps({"tokens": [tokens[u.username] for u in users], "exam": course.final_exam_id}))
"""

# The proctor's start code for the exam (every app server derives the same one from SECRET_KEY and the clock).
START_CODE = """
import sys
import django
django.setup()
from exams.models import Exam
from exams.services import room
print(room.current_code(Exam.objects.get(pk=int(sys.argv[1]))).code)
"""

# One more start, in-process, counting its queries: the first learner's start compiles the exam's draw plan in this
# fresh process (the server's workers have theirs), the second one's is counted.
QUERIES = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from courses.models import CoursePage, Enrollment
from exams.localization import sources
from exams.models import Exam
from exams.services import room
exam = Exam.objects.get(pk=int(sys.argv[1]))
course = sources(CoursePage.objects.filter(slug="security")).get()
counts = []
for name in ("bench-queries-warm", "bench-queries"):
    user = get_user_model().objects.create(username=name)
    Enrollment.objects.create(user=user, course=course)
    token = Token.objects.create(user=user)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1"}
    body = json.dumps({"start_code": room.current_code(exam).code})
    with CaptureQueriesContext(connection) as ctx:
        response = Client().post(f"/api/exams/{exam.pk}/attempts/", body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    counts.append(len(ctx.captured_queries))
print(json.dumps({"queries": counts[-1], "first": counts[0], "questions": len(response.json()["questions"])}))
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
    def __init__(self, port, token, exam, code, barrier, until, results):
        super().__init__(daemon=True)
        self.port, self.token, self.exam, self.code, self.barrier, self.until, self.results = (
            port, token, exam, code, barrier, until, results)

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
        self.barrier.wait()  # 1. the bare view, all at once: the baseline of the start
        status, ms, data = self.request("GET", "/bench/bare/")
        record["bare_burst"].append(ms)
        if status != 200:
            record["errors"].append(f"bare {status} {data[:200]!r}")
        self.barrier.wait()  # 2. the synchronised start
        status, ms, data = self.request("POST", f"/api/exams/{self.exam}/attempts/", {"start_code": self.code})
        record["start"].append(ms)
        if status != 201:
            record["start_errors"].append(f"start {status} {data[:200]!r}")
            return
        attempt = json.loads(data)
        seq, questions = attempt["next_seq"], attempt["questions"]
        while True:  # 3. autosave
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


def python_out(script, env, *args):
    out = run([sys.executable, "-c", script, *map(str, args)], env, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def warm_up(port, tokens, exam, code):
    """Both workers import everything, open their connection and keep the exam's draw plan, as on a site that has
    been running: a few starts (by learners who are not among the takers) and bare views, concurrently so that both
    workers take some."""
    def one(token):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        conn.request("POST", f"/api/exams/{exam}/attempts/", body=json.dumps({"start_code": code}), headers=headers)
        conn.getresponse().read()
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/bench/bare/")
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def create_pg_database(name):
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(name):
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(backend, args):
    """One run on ``backend`` ("sqlite" or "pg"); returns the figures."""
    began = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.site.settings", "LMS_BENCH_DB": str(tmp / "db.sqlite3"),
           "PYTHONPATH": str(ROOT)}
    pg_name = f"bench_exam_{os.getpid()}"
    if backend == "pg":
        env["PGDATABASE"] = pg_name
        create_pg_database(pg_name)
        print(f"\n== PostgreSQL: database {pg_name} on {env['PGHOST']}:{env.get('PGPORT', '5432')}")
    else:
        for name in [k for k in env if k.startswith("PG")]:
            del env[name]  # bench.site.settings takes PostgreSQL when PGHOST is set
        print(f"\n== SQLite (WAL) in {tmp}")
    server = None
    try:
        run([sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"], env)
        run([sys.executable, "demo/manage.py", "lms_load_demo"], {**env}, stdout=subprocess.DEVNULL)
        info = json.loads(python_out(SETUP, env, args.takers))
        tokens, warm, exam = info["tokens"][: args.takers], info["tokens"][args.takers :], info["exam"]
        code = python_out(START_CODE, env, exam)
        print(f"set up in {time.monotonic() - began:.0f} s: {len(tokens)} takers, exam {exam}")
        port = free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        server = subprocess.Popen(
            [gunicorn, "demo.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        for __ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        warm_up(port, warm, exam, code)
        results = {"bare_burst": [], "start": [], "save": [], "bare": [], "submit": [], "errors": [],
                   "start_errors": []}
        barrier = threading.Barrier(len(tokens))
        until = time.monotonic() + args.duration
        takers = [Taker(port, t, exam, code, barrier, until, results) for t in tokens]
        for t in takers:
            t.start()
        for t in takers:
            t.join(args.duration + 180)
        queries = json.loads(python_out(QUERIES, env, exam))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
        if backend == "pg":
            drop_pg_database(pg_name)
    results["queries"] = queries
    results["seconds"] = time.monotonic() - began
    return results


def report(backend, results, args):
    suffix = "_pg" if backend == "pg" else ""

    def line(name, values):
        if not values:
            return f"{name:<16} n=0"
        return (f"{name:<16} n={len(values):<5} p50={percentile(values, 50):7.1f} ms  "
                f"p95={percentile(values, 95):7.1f} ms  p99={percentile(values, 99):7.1f} ms  "
                f"max={max(values):7.1f} ms  mean={statistics.fmean(values):7.1f} ms")

    print(f"{args.takers} takers, synchronised start, autosave every 30-60 s for {args.duration} s "
          f"(run {results['seconds']:.0f} s)")
    for name, key in (("bare view, burst", "bare_burst"), ("start", "start"), ("answer save", "save"),
                      ("bare view", "bare"), ("submit", "submit")):
        print(line(name, results[key]))
    for error in (results["start_errors"] + results["errors"])[:10]:
        print("error:", error)
    q = results["queries"]
    print(f"queries per start: {q['queries']} ({q['questions']} questions drawn; {q['first']} for the first start "
          "in a process, which compiles the exam's draw plan)")
    start_p95, bare_p95 = percentile(results["start"], 95), percentile(results["bare_burst"], 95)
    start_errors = len(results["start_errors"]) + args.takers - len(results["start"])
    save_p95 = percentile(results["save"], 95)
    errors = start_errors + len(results["errors"]) + (0 if results["save"] or not args.duration else 1)
    print(f"BENCH exam_start_bare_p95_ms{suffix} {bare_p95:.1f} ms (baseline: the bare view, {args.takers} at once, "
          "same server, same run)")
    print(f"BENCH exam_start_p95_ms{suffix} {start_p95:.1f} ms budget <= {START_P95_BUDGET_MS:g} "
          f"{'OK' if start_p95 <= START_P95_BUDGET_MS else 'OVER'} (bare view {bare_p95:.1f} ms, "
          f"{start_p95 / max(bare_p95, 0.001):.1f}x)")
    print(f"BENCH exam_start_errors{suffix} {start_errors} count budget <= 0 {'OK' if start_errors == 0 else 'OVER'}")
    print(f"BENCH exam_start_queries{suffix} {q['queries']} queries budget <= {START_QUERIES_BUDGET} "
          f"{'OK' if q['queries'] <= START_QUERIES_BUDGET else 'OVER'}")
    if args.duration:
        bare_save_p95 = percentile(results["bare"], 95)
        print(f"BENCH exam_save_p95_ms{suffix} {save_p95:.1f} ms budget <= {SAVE_P95_BUDGET_MS:g} "
              f"{'OK' if save_p95 <= SAVE_P95_BUDGET_MS else 'OVER'} (bare view {bare_save_p95:.1f} ms)")
    print(f"BENCH exam_errors{suffix} {errors} errors budget <= 0 {'OK' if errors == 0 else 'OVER'}")
    return start_p95 <= START_P95_BUDGET_MS and q["queries"] <= START_QUERIES_BUDGET and errors == 0 and (
        not args.duration or save_p95 <= SAVE_P95_BUDGET_MS)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--takers", type=int, default=250)
    parser.add_argument("--duration", type=int, default=150, help="seconds of autosaving after the start (0: none)")
    parser.add_argument("--only", choices=["sqlite", "pg"], help="one database only (default: SQLite, and "
                        "PostgreSQL too when PGHOST is set)")
    args = parser.parse_args()
    backends = [args.only] if args.only else ["sqlite", *(["pg"] if os.environ.get("PGHOST") else [])]
    ok = True
    for backend in backends:
        ok = report(backend, bench(backend, args), args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
