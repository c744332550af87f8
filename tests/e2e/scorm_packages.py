"""Small SCORM packages built in the tests (tests/e2e/test_scorm.py): one SCO page that finds the runtime in its
parent window, initialises, shows what the LMS gave it (learner, entry, bookmark, suspend data, mastery) and has a
button for each thing a real SCO does (save its place, score, status, an interaction, any value, suspend, finish).
Every API call it makes is written to its log with the answer and, on "false", the error code."""

from __future__ import annotations

import io
import json
import zipfile

# The names of the same things in the two runtimes.
VERSIONS = {
    "1.2": {
        "api": "API", "init": "LMSInitialize", "get": "LMSGetValue", "set": "LMSSetValue", "commit": "LMSCommit",
        "finish": "LMSFinish", "error": "LMSGetLastError",
        "name": "cmi.core.student_name", "entry": "cmi.core.entry", "location": "cmi.core.lesson_location",
        "exit": "cmi.core.exit", "mastery": "cmi.student_data.mastery_score", "score": "cmi.core.score.raw",
        "status": ["cmi.core.lesson_status"], "session_time": "cmi.core.session_time", "session": "00:00:05",
        "interaction": [["id", "q1"], ["type", "choice"], ["student_response", "b"], ["result", "correct"],
                        ["time", "10:15:00"], ["latency", "00:00:03"]],
    },
    "2004": {
        "api": "API_1484_11", "init": "Initialize", "get": "GetValue", "set": "SetValue", "commit": "Commit",
        "finish": "Terminate", "error": "GetLastError",
        "name": "cmi.learner_name", "entry": "cmi.entry", "location": "cmi.location", "exit": "cmi.exit",
        "mastery": "cmi.scaled_passing_score", "score": "cmi.score.scaled",
        "status": ["cmi.completion_status", "cmi.success_status"], "session_time": "cmi.session_time",
        "session": "PT5S",
        "interaction": [["id", "q1"], ["type", "choice"], ["learner_response", "b"], ["result", "correct"],
                        ["timestamp", "2026-03-02T10:15:00"], ["latency", "PT3S"],
                        ["description", "Which extinguisher for an electrical fire?"]],
    },
}

SCO_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>%(title)s</title></head>
<body>
<h1>%(title)s</h1>
<p>Runtime: <output id="runtime">looking for the LMS…</output></p>
<p>Learner: <output id="learner"></output></p>
<p>Entry: <output id="entry"></output></p>
<p>Location: <output id="location"></output></p>
<p>Suspend data: <output id="suspend-data"></output></p>
<p>Mastery: <output id="mastery"></output></p>
<p>Interactions: <output id="interactions"></output></p>
<p>Status: <output id="status"></output></p>
<fieldset><legend>My place</legend>
  <label>Location <input id="in-location"></label>
  <label>Suspend data <input id="in-suspend-data"></label>
  <button type="button" id="bookmark">Save my place</button>
</fieldset>
<fieldset><legend>Result</legend>
  <label>Score <input id="in-score"></label> <button type="button" id="score">Set score</button>
  <label>Status <input id="in-status" placeholder="%(status_hint)s"></label>
  <button type="button" id="set-status">Set status</button>
  <button type="button" id="interaction">Answer question 1</button>
</fieldset>
<fieldset><legend>Any value</legend>
  <label>Element <input id="in-element"></label> <label>Value <input id="in-value"></label>
  <button type="button" id="set">Set value</button> <button type="button" id="commit">Save</button>
</fieldset>
<p><button type="button" id="suspend">Suspend</button> <button type="button" id="finish">Finish</button></p>
<p>Last call: <output id="last"></output></p>
<ol id="log"></ol>
<script>
(function () {
  "use strict";
  var V = %(names)s;
  function byId(id) { return document.getElementById(id); }
  function findAPI(win) {
    for (var hops = 0; win && hops < 10; hops += 1) {
      if (win[V.api]) { return win[V.api]; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window.parent);
  function log(text) {
    byId("last").textContent = text;
    var item = document.createElement("li");
    item.textContent = text;
    byId("log").appendChild(item);
  }
  function call(name, args) {
    var result = String(api[V[name]].apply(api, args || []));
    var text = V[name] + "(" + (args || []).join(", ") + ") → " + result;
    if (name !== "get" && result !== "true") { text += " (error " + api[V.error]("") + ")"; }
    log(text);
    return result;
  }
  function get(element) { return String(api[V.get](element)); }
  function show() {
    byId("learner").textContent = get(V.name);
    byId("entry").textContent = get(V.entry);
    byId("location").textContent = get(V.location);
    byId("suspend-data").textContent = get("cmi.suspend_data");
    byId("mastery").textContent = get(V.mastery);
    byId("interactions").textContent = get("cmi.interactions._count");
    byId("status").textContent = V.status.map(get).join(" / ");
  }
  if (!api) { byId("runtime").textContent = "no LMS found"; return; }
  byId("runtime").textContent = call("init", [""]) === "true" ? "initialised" : "not initialised";
  show();
  byId("bookmark").addEventListener("click", function () {
    call("set", [V.location, byId("in-location").value]);
    call("set", ["cmi.suspend_data", byId("in-suspend-data").value]);
    call("commit", [""]);
  });
  byId("score").addEventListener("click", function () {
    call("set", [V.score, byId("in-score").value]);
    show();
  });
  byId("set-status").addEventListener("click", function () {
    byId("in-status").value.split("/").forEach(function (value, i) {
      if (value.trim()) { call("set", [V.status[i], value.trim()]); }
    });
    show();
  });
  byId("interaction").addEventListener("click", function () {
    var n = get("cmi.interactions._count");
    V.interaction.forEach(function (pair) { call("set", ["cmi.interactions." + n + "." + pair[0], pair[1]]); });
    call("commit", [""]);
    show();
  });
  byId("set").addEventListener("click", function () {
    call("set", [byId("in-element").value, byId("in-value").value]);
  });
  byId("commit").addEventListener("click", function () { call("commit", [""]); });
  byId("suspend").addEventListener("click", function () {
    call("set", [V.session_time, V.session]);
    call("set", [V.exit, "suspend"]);
    call("commit", [""]);
    call("finish", [""]);
  });
  byId("finish").addEventListener("click", function () {
    call("set", [V.session_time, V.session]);
    call("set", [V.exit, V.api === "API" ? "" : "normal"]);
    call("finish", [""]);
  });
})();
</script>
</body>
</html>
"""

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="%(identifier)s" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>%(title)s</title>
      <item identifier="sco_1" identifierref="res_1">
        <title>%(title)s</title>
        <adlcp:masteryscore>%(mastery)s</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
      <file href="sco/index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="%(identifier)s" version="1.0"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>%(title)s</title>
      <item identifier="sco_1" identifierref="res_1">
        <title>%(title)s</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="mastery" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>%(mastery)s</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormType="sco" href="sco/index.html">
      <file href="sco/index.html"/>
    </resource>
  </resources>
</manifest>
"""


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sco_page(version: str, *, title: str, session: str | None = None) -> bytes:
    """The SCO's page; ``session`` the session time it reports when it suspends or finishes (5 seconds)."""
    names = {**VERSIONS[version], **({"session": session} if session else {})}
    hint = "passed" if version == "1.2" else "completed/passed"
    return (SCO_HTML % {"title": title, "names": json.dumps(names), "status_hint": hint}).encode()


def sco_files(version: str, *, title: str, mastery: str, session: str | None = None) -> dict[str, bytes]:
    """The files of a one-SCO package: ``version`` "1.2" (mastery 0..100) or "2004" (4th edition, mastery
    -1..1 as minNormalizedMeasure)."""
    manifest = MANIFEST_12 if version == "1.2" else MANIFEST_2004
    return {
        "imsmanifest.xml": (manifest % {"identifier": f"e2e-{version}", "title": title, "mastery": mastery}).encode(),
        "sco/index.html": sco_page(version, title=title, session=session),
    }


def scorm12_zip(*, title: str = "Fire safety (SCORM 1.2)", mastery: str = "80", session: str | None = None) -> bytes:
    return zip_bytes(sco_files("1.2", title=title, mastery=mastery, session=session))


def scorm2004_zip(*, title: str = "Forklift safety (SCORM 2004)", mastery: str = "0.65",
                  session: str | None = None) -> bytes:
    return zip_bytes(sco_files("2004", title=title, mastery=mastery, session=session))


MANIFEST_12_TWO_SCOS = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="e2e-two-scos" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>%(title)s</title>
      <item identifier="part_1" identifierref="res_1"><title>%(first)s</title></item>
      <item identifier="part_2" identifierref="res_2"><title>%(second)s</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="part1/index.html">
      <file href="part1/index.html"/>
    </resource>
    <resource identifier="res_2" type="webcontent" adlcp:scormtype="sco" href="part2/index.html">
      <file href="part2/index.html"/>
    </resource>
  </resources>
</manifest>
"""


def two_sco_zip(*, title: str = "Site induction (two parts)", first: str = "Part 1: the site",
                second: str = "Part 2: the rules") -> bytes:
    """A SCORM 1.2 package of two SCOs (items ``part_1`` and ``part_2``), each the page above."""
    return zip_bytes({
        "imsmanifest.xml": (MANIFEST_12_TWO_SCOS % {"title": title, "first": first, "second": second}).encode(),
        "part1/index.html": sco_page("1.2", title=first),
        "part2/index.html": sco_page("1.2", title=second),
    })


def zip_slip_zip(entry: str = "../../evil.html") -> bytes:
    """A valid 1.2 package plus one entry that would be written outside the folder it is extracted to."""
    return zip_bytes({**sco_files("1.2", title="Hostile", mastery="80"), entry: b"<script>alert(1)</script>"})
