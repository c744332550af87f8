"""Excel export benchmark (docs/archive.md, DESIGN.md "Budgets").

Builds a throw-away SQLite database with 100,000 archive rows, then measures in the same run:

* ours:     ``lms.archive.exports.archive_export`` (query, labels, local dates, formula neutralisation, status
            colours, openpyxl write-only);
* (a) bare: openpyxl's write-only mode writing the same cells (same values, same styles) from plain tuples
            already in memory: the ratio ours / (a) is the cost of everything our export adds;
* (b) Wagtail's own ``list_export`` (xlsx) of the same rows through a ``ModelViewSet``, out of the box.

Prints the ratio to (a), the speed-up over (b), the peak memory of our export above the process baseline
(peak RSS, reset through /proc/self/clear_refs, so C allocations by SQLite and lxml count too) and the number
of queries at 1,000 and at 100,000 rows. Usage: ``.venv/bin/python bench/export.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=100_000)
parser.add_argument("--repeat", type=int, default=3, help="timed runs of ours and of (a); the best counts")
args = parser.parse_args()

TMP = tempfile.mkdtemp(prefix="lms-bench-export-")

import tests.settings as bench_settings  # noqa: E402

DB_NAME = os.path.join(TMP, "db.sqlite3")
bench_settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB_NAME}}
bench_settings.ROOT_URLCONF = "__main__"
bench_settings.LMS_PRIVATE_ROOT = os.path.join(TMP, "private")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from wagtail.admin import urls as wagtailadmin_urls  # noqa: E402
from wagtail.admin.viewsets.model import ModelViewSet  # noqa: E402

from lms.archive import exports as archive_exports  # noqa: E402
from lms.archive.models import TrainingRecord, TrainingSession  # noqa: E402
from lms.people.models import Department, Person  # noqa: E402
from lms.sheets.cells import STATUS_FILLS  # noqa: E402


class ListExportArchiveModelViewSet(ModelViewSet):
    """What a user would otherwise reach for: Wagtail's list_export, out of the box."""

    model = TrainingRecord
    list_export = ["occurred_at", "person", "kind", "title", "hours", "score", "max_score", "is_passed", "organiser",
                   "trainer", "place", "scenario", "role", "outcome", "reference", "valid_until"]
    list_display = ["occurred_at", "person", "title"]
    form_fields = ["title"]


list_export_viewset = ListExportArchiveModelViewSet("bench_archive", url_prefix="bench-archive")
urlpatterns = [
    path("bench-archive/", include((list_export_viewset.get_urlpatterns(), "bench_archive"))),
    path("admin/", include(wagtailadmin_urls)),
]


def rss_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def reset_peak() -> int:
    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    return rss_kb("VmRSS:")


def build_data(rows: int) -> None:
    call_command("migrate", verbosity=0)
    departments = [Department.objects.create(name=f"部门{i}", code=f"d{i}") for i in range(10)]
    User = get_user_model()
    User.objects.bulk_create([User(username=f"b{i}") for i in range(500)], batch_size=500)
    users = list(User.objects.filter(username__startswith="b").order_by("pk"))
    Person.objects.bulk_create(
        [Person(user=u, employee_number=f"E{i:05d}", name=f"员工{i}", department=departments[i % 10],
                hire_date="2024-01-01") for i, u in enumerate(users)],
        batch_size=500,
    )
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    source_type = ContentType.objects.get_for_model(TrainingSession)
    kinds = TrainingRecord.Kind.values
    now = timezone.now()
    table = TrainingRecord._meta.db_table
    columns = ["person_id", "kind", "title", "occurred_at", "hours", "score", "max_score", "is_passed", "organiser",
               "trainer", "place", "scenario", "role", "outcome", "reference", "valid_until", "source_type_id",
               "source_id", "recorded_at", "updated_at"]
    stamp = now.replace(tzinfo=None).isoformat(sep=" ")

    def row(i):
        kind = kinds[i % len(kinds)]
        exam = kind == "exam"
        return (
            people[i % len(people)], kind,
            "=HYPERLINK(\"http://x\")" if i % 100 == 0 else f"安全管理培训 第{i % 50}期",
            (now - timezone.timedelta(hours=i)).replace(tzinfo=None).isoformat(sep=" "), 2,
            80 + i % 20 if exam else None, 100 if exam else None, (i % 7 != 0) if exam else None,
            "人力资源部", "李培训" if i % 3 else "",
            "培训室 A", "火灾疏散" if kind.startswith("drill") else "", "", "合格" if i % 5 == 0 else "",
            f"C-{i}" if kind.startswith("certificate") else "", None, source_type.pk, i + 1, stamp, stamp,
        )

    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with transaction.atomic(), connection.cursor() as cursor:  # one commit for the whole load
        for start in range(0, rows, 10_000):
            cursor.executemany(sql, [row(i) for i in range(start, min(rows, start + 10_000))])
    connection.cursor().execute("ANALYZE")


class Timer:
    """Wall-clock and CPU time of this process. The budgets compare CPU time: the machine is shared, so wall
    time mostly measures the neighbours; every contender runs in this one process, single-threaded."""

    def __enter__(self):
        gc.collect()
        gc.disable()  # the same for every contender: no collector pauses in the measured work
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        gc.enable()


def ours(records, out) -> Timer:
    with Timer() as timer:
        archive_exports.archive_export(records=records, out=out)
    return timer


def prepared_rows(records):
    """The exact cell values our export writes, and each row's status colour, as plain tuples in memory."""
    paths = tuple(f[0] for f in archive_exports.ARCHIVE_FIELDS)
    builder = archive_exports.RowBuilder(paths)
    status_column, status_of = archive_exports._status_reader(paths)
    values = records.order_by("occurred_at", "pk").values_list(*archive_exports.selected(paths)).iterator()
    rows = [tuple(r) for r in builder.rows(values)]
    statuses = [status_of(r) for r in rows]
    headers = [str(archive_exports._header(label)) for __, label, __w in archive_exports.ARCHIVE_FIELDS]
    widths = [w for __, __l, w in archive_exports.ARCHIVE_FIELDS]
    return rows, statuses, status_column, headers, widths


def bare_openpyxl(rows, statuses, status_column, headers, widths, out) -> Timer:
    """(a): openpyxl write-only, same values, same styles (header font/fill/alignment, status fills, widths,
    frozen header, auto-filter)."""
    with Timer() as timer:
        _bare_openpyxl(rows, statuses, status_column, headers, widths, out)
    return timer


def _bare_openpyxl(rows, statuses, status_column, headers, widths, out) -> None:
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="FFDDEBF7")
    header_alignment = Alignment(vertical="center", wrap_text=True)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in STATUS_FILLS.items()}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Training archive")
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font, cell.fill, cell.alignment = header_font, header_fill, header_alignment
        header.append(cell)
    sheet.append(header)
    for row, status in zip(rows, statuses, strict=True):
        if status is not None:
            row = list(row)
            cell = WriteOnlyCell(sheet, value=row[status_column])
            cell.fill = fills[status]
            row[status_column] = cell
        sheet.append(row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    workbook.save(out)


def wagtail_list_export() -> Timer:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench-admin", "a@example.com", "pw"))
    with Timer() as timer:
        response = client.get("/bench-archive/?export=xlsx")
        content = response.content if not response.streaming else b"".join(response.streaming_content)
    assert response.status_code == 200 and content[:2] == b"PK", response.status_code
    return timer


def queries_for(records) -> int:
    with CaptureQueriesContext(connection) as ctx:
        archive_exports.archive_export(records=records, out=os.path.join(TMP, "q.xlsx"))
    return len(ctx.captured_queries)


FAILED: list[str] = []


def line(name, value, unit, op, budget, ok):
    print(f"BENCH {name} {value} {unit} budget {op} {budget} {'OK' if ok else 'OVER'}")
    if not ok:
        FAILED.append(name)


def main() -> None:
    t0 = time.perf_counter()
    build_data(args.rows)
    print(f"data: {TrainingRecord.objects.count()} archive rows in {time.perf_counter() - t0:.1f} s (SQLite, {TMP})")
    records = TrainingRecord.objects.all()
    ours_out, bare_out = os.path.join(TMP, "ours.xlsx"), os.path.join(TMP, "bare.xlsx")

    # Peak memory of our export above the process baseline (an untimed first run, nothing else held).
    baseline_kb = reset_peak()
    archive_exports.archive_export(records=records, out=ours_out)
    peak_mb = (rss_kb("VmHWM:") - baseline_kb) / 1024

    rows, statuses, status_column, headers, widths = prepared_rows(records)
    ours_runs, bare_runs = [], []
    for __ in range(args.repeat):  # interleaved, so both see the same neighbours; the best run of each counts
        bare_runs.append(bare_openpyxl(rows, statuses, status_column, headers, widths, bare_out))
        ours_runs.append(ours(records, ours_out))
    del rows, statuses
    gc.collect()
    ours_best, bare_best = min(t.cpu for t in ours_runs), min(t.cpu for t in bare_runs)
    show = lambda runs: ", ".join(f"{t.cpu:.2f} cpu / {t.wall:.2f} wall" for t in runs)  # noqa: E731
    print(f"ours: {show(ours_runs)} s")
    print(f"(a) openpyxl write-only from tuples: {show(bare_runs)} s")

    list_export = wagtail_list_export()
    print(f"(b) Wagtail list_export: {list_export.cpu:.2f} cpu / {list_export.wall:.2f} wall s")

    first_pk = records.order_by("pk").values_list("pk", flat=True).first()
    q_small = queries_for(records.filter(pk__lt=first_pk + 1000))
    q_large = queries_for(records.filter(pk__lt=first_pk + args.rows))
    print(f"queries: {q_small} at 1,000 rows, {q_large} at {args.rows:,} rows")

    ratio = ours_best / bare_best
    speedup = list_export.cpu / ours_best
    line("export_ratio", f"{ratio:.2f}", "x", "<=", 1.2, ratio <= 1.2)
    line("export_speedup_vs_list_export", f"{speedup:.2f}", "x", ">=", 3, speedup >= 3)
    line("export_peak_mb", f"{peak_mb:.1f}", "MB", "<=", 32, peak_mb <= 32)
    line("export_queries_growth", q_large - q_small, "queries", "==", 0, q_large == q_small)


if __name__ == "__main__":
    main()
    sys.exit(1 if FAILED else 0)  # `make bench` fails when a budget is missed
