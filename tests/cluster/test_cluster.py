"""Two app servers, two workers, PostgreSQL and Redis (tests/cluster/conftest.py), checked through HTTP only: what
one server changes, the other answers correctly within 1 s; a rate limit counts across both; background work
started on one server is done once by one worker and served by the other; a double submit across servers grades
once. Run with ``make test-cluster`` (``.ci/run`` does, in its PostgreSQL pass)."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

pytestmark = pytest.mark.cluster

WITHIN = 1.0  # seconds: the promise (docs/operations.md)
PATIENCE = 2.5  # how long the test keeps asking before it reports how late the change was


def decide(base: str, token: str, subject: str) -> requests.Response:
    return requests.post(f"{base}/api/permits/decide/", json={"subject": subject, "area": "ops"},
                         headers={"Authorization": f"Controller {token}"}, timeout=10)


def api(base: str, token: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{base}{path}", headers={"Authorization": f"Token {token}"}, timeout=60,
                            **kwargs)


def signed_in(base: str, username: str, password: str, login: str = "/admin/login/") -> requests.Session:
    session = requests.Session()
    session.get(f"{base}{login}", timeout=30).raise_for_status()
    response = session.post(f"{base}{login}", timeout=30, allow_redirects=False, data={
        "username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert response.status_code == 302, f"sign-in to {base}{login} failed ({response.status_code})"
    return session


def post_form(session: requests.Session, url: str, data: dict) -> requests.Response:
    session.get(url, timeout=30).raise_for_status()  # the form page sets the CSRF cookie
    return session.post(url, data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}, timeout=60,
                        allow_redirects=False)


def until(condition, *, seconds: float, step: float = 0.05):
    """Ask ``condition()`` until it returns something true or ``seconds`` pass; (result, seconds it took)."""
    start = time.monotonic()
    while True:
        result = condition()
        elapsed = time.monotonic() - start
        if result or elapsed > seconds:
            return result, elapsed
        time.sleep(step)


def test_a_controller_deactivated_through_a_is_refused_by_b_within_a_second(cluster):
    controller = cluster.world["controllers"]["deactivate"]
    for base in (cluster.a, cluster.b):  # both servers now hold the controller in their in-process copies
        assert decide(base, controller["token"], "B100").json()["allow"] is True
    boss = signed_in(cluster.a, cluster.world["boss"]["username"], cluster.world["boss"]["password"])
    response = post_form(boss, f"{cluster.a}/admin/controllers/edit/{controller['id']}/",
                         {"name": controller["name"], "areas": [cluster.world["area"]["id"]]})  # is_active: off
    assert response.status_code == 302, response.text[:2000]
    assert decide(cluster.a, controller["token"], "B100").status_code == 401
    refused, elapsed = until(lambda: decide(cluster.b, controller["token"], "B100").status_code == 401,
                             seconds=PATIENCE, step=0.1)
    assert refused and elapsed <= WITHIN, (
        f"server B still accepted the deactivated controller's token {elapsed:.2f} s after server A deactivated it"
    )


def test_a_revoked_certificate_s_permit_is_denied_on_both_servers(cluster):
    token = cluster.world["controllers"]["revoke"]["token"]
    for base in (cluster.a, cluster.b):
        assert decide(base, token, "B200").json()["allow"] is True
    certificate = cluster.world["revocable_certificate"]
    response = api(cluster.a, cluster.world["boss"]["token"], "POST", f"/api/certificates/{certificate}/revoke/",
                   json={"reason": "cluster test"})
    assert response.status_code == 200, response.text[:2000]
    for base in (cluster.b, cluster.a):
        denied, elapsed = until(lambda base=base: not decide(base, token, "B200").json()["allow"], seconds=PATIENCE)
        assert denied and elapsed <= WITHIN, f"{base} still allowed B200 {elapsed:.2f} s after the revocation"
        assert decide(base, token, "B200").json()["reasons"][0].startswith("certification_revoked:")


def test_a_requirement_added_through_a_is_enforced_by_b_within_a_second(cluster):
    token, area = cluster.world["controllers"]["area"]["token"], cluster.world["area"]
    extra = cluster.world["extra_certification"]
    for base in (cluster.a, cluster.b):  # the area's requirements are now in both servers' copies
        assert decide(base, token, "B100").json()["allow"] is True
    boss = signed_in(cluster.a, cluster.world["boss"]["username"], cluster.world["boss"]["password"])
    url = f"{cluster.a}/admin/areas/edit/{area['id']}/"
    form = {"name": area["name"], "code": area["code"], "is_active": "on"}
    response = post_form(boss, url, {**form, "required_certifications": [*area["required"], extra]})
    assert response.status_code == 302, response.text[:2000]
    try:
        missing = f"certification_missing:{extra}"
        denied, elapsed = until(lambda: decide(cluster.b, token, "B100").json()["reasons"] == [missing],
                                seconds=PATIENCE, step=0.1)
        assert denied and elapsed <= WITHIN, (
            f"server B still answered without the new requirement {elapsed:.2f} s after server A added it"
        )
    finally:
        assert post_form(boss, url, {**form, "required_certifications": area["required"]}).status_code == 302


def test_a_rate_limit_admits_exactly_n_across_both_servers(cluster):
    """LMS_PERMIT_DECISION_RATE is 40 a minute in the cluster: 80 requests at once, half to each server."""
    limit, window = 40, 60
    if time.time() % window > window - 20:  # a fixed window: start in one that has time left
        time.sleep(window - time.time() % window + 0.5)
    token = cluster.world["controllers"]["rate"]["token"]
    targets = [cluster.a, cluster.b] * limit
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda base: decide(base, token, "B100").status_code, targets))
    assert codes.count(200) == limit and codes.count(429) == limit, {c: codes.count(c) for c in set(codes)}


def _take(base: str, token: str, exam: int, answer: str) -> int:
    started = api(base, token, "POST", f"/api/exams/{exam}/attempts/", json={})
    assert started.status_code == 201, started.text[:2000]
    attempt = started.json()["id"]
    saved = api(base, token, "POST", f"/api/attempts/{attempt}/answers/", json={"seq": 1, "answers": {"1": answer}})
    assert saved.status_code == 200, saved.text[:2000]
    return attempt


def _certificates(base: str, token: str, certification: str) -> list[dict]:
    body = api(base, token, "GET", "/api/certificates/").json()
    return [c for c in body["results"] if c["certification"] == certification]


def test_a_certificate_earned_through_a_is_rendered_by_a_worker_and_downloaded_through_b(cluster):
    learner, world = cluster.world["learners"]["earner"], cluster.world
    attempt = _take(cluster.a, learner["token"], world["exam"], "24")
    result = api(cluster.a, learner["token"], "POST", f"/api/attempts/{attempt}/submit/")
    assert result.status_code == 200 and result.json()["is_passed"] is True, result.text[:2000]
    certificates = _certificates(cluster.b, learner["token"], world["earned_certification"])
    assert len(certificates) == 1
    task = "path=certificates.tasks.render_certificate_pdf state=SUCCESSFUL"
    rendered, __ = until(lambda: cluster.worker_lines(task), seconds=90, step=0.5)
    assert rendered, "no worker rendered the certificate's PDF"  # the only one rendered (tests/cluster/world.py)
    session = signed_in(cluster.b, "earner", world["boss"]["password"], login="/accounts/login/")
    pdf = session.get(f"{cluster.b}/certificates/{certificates[0]['id']}/pdf/", timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_export_queued_through_b_is_run_by_one_worker_and_downloaded_through_a(cluster):
    boss = cluster.world["boss"]
    on_b = signed_in(cluster.b, boss["username"], boss["password"])
    response = post_form(on_b, f"{cluster.b}/admin/lms/exports/", {"kind": "archive"})
    assert response.status_code == 302, response.text[:2000]
    job = re.search(r"#job-([0-9a-f-]{36})", response.headers["Location"]).group(1)
    on_a = signed_in(cluster.a, boss["username"], boss["password"])
    download, __ = until(
        lambda: (r := on_a.get(f"{cluster.a}/admin/lms/exports/{job}/download/", timeout=30)).status_code == 200 and r,
        seconds=90, step=0.5)
    assert download, "the export was not offered for download through server A"
    assert download.content.startswith(b"PK")  # an xlsx is a zip
    time.sleep(1)  # a second worker taking the same task would have logged it by now
    ran = cluster.worker_lines("path=lms.archive.export_jobs.export_job_run state=")
    assert len([line for line in ran if "state=RUNNING" in line]) == 1, ran
    assert len([line for line in ran if "state=SUCCESSFUL" in line]) == 1, ran


def test_two_submits_at_once_to_a_and_b_grade_once_and_issue_one_certificate(cluster):
    learner, world = cluster.world["learners"]["racer"], cluster.world
    attempt = _take(cluster.a, learner["token"], world["exam"], "24")
    barrier, results = threading.Barrier(2), {}

    def submit(base):
        barrier.wait()
        results[base] = api(base, learner["token"], "POST", f"/api/attempts/{attempt}/submit/")

    threads = [threading.Thread(target=submit, args=(base,)) for base in (cluster.a, cluster.b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert {r.status_code for r in results.values()} == {200}, {b: r.text[:500] for b, r in results.items()}
    bodies = [r.json() for r in results.values()]
    assert bodies[0] == bodies[1] and bodies[0]["state"] == "graded" and bodies[0]["is_passed"] is True
    time.sleep(0.5)  # the certificate is issued when the grading commits
    for base in (cluster.a, cluster.b):
        assert len(_certificates(base, learner["token"], world["earned_certification"])) == 1
