/* A SCORM 1.2 SCO: three pages and a three-question check. It keeps the page (cmi.core.lesson_location) and the
 * answers (cmi.suspend_data) so that it resumes where the learner left off, records each answer as an interaction,
 * and reports its score; the LMS decides pass or fail from the manifest's mastery score (80). */
(function () {
  "use strict";
  function findAPI(win) {
    for (var i = 0; win && i < 10; i += 1) {
      if (win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window);
  var pages = document.querySelectorAll("[data-page]");
  var page = 1;
  var answers = {};
  var key = { q1: "b", q2: "a", q3: "b" };
  var finished = false;

  function set(name, value) { if (api) { api.LMSSetValue(name, String(value)); } }
  function show(n) {
    page = Math.max(1, Math.min(pages.length, n));
    pages.forEach(function (section) { section.hidden = Number(section.dataset.page) !== page; });
    document.getElementById("where").textContent = page + " / " + pages.length;
    set("cmi.core.lesson_location", page);
    set("cmi.suspend_data", JSON.stringify({ page: page, answers: answers }));
  }
  function finish() {
    if (finished || !api) { return; }
    finished = true;
    set("cmi.core.exit", document.getElementById("result").textContent ? "" : "suspend");
    api.LMSCommit("");
    api.LMSFinish("");
  }

  if (api) {
    api.LMSInitialize("");
    var saved = api.LMSGetValue("cmi.suspend_data");
    if (saved) {
      try { var data = JSON.parse(saved); answers = data.answers || {}; page = data.page || 1; } catch (e) { page = 1; }
    }
    if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") { set("cmi.core.lesson_status", "incomplete"); }
  }
  Object.keys(answers).forEach(function (q) {
    var input = document.querySelector("input[name=" + q + "][value=" + answers[q] + "]");
    if (input) { input.checked = true; }
  });
  document.getElementById("prev").addEventListener("click", function () { show(page - 1); });
  document.getElementById("next").addEventListener("click", function () { show(page + 1); });
  document.getElementById("exit").addEventListener("click", finish);
  document.getElementById("quiz").addEventListener("change", function (event) {
    answers[event.target.name] = event.target.value;
    set("cmi.suspend_data", JSON.stringify({ page: page, answers: answers }));
  });
  document.getElementById("quiz").addEventListener("submit", function (event) {
    event.preventDefault();
    var right = 0;
    Object.keys(key).forEach(function (q, i) {
      var ok = answers[q] === key[q];
      if (ok) { right += 1; }
      set("cmi.interactions." + i + ".id", q);
      set("cmi.interactions." + i + ".type", "choice");
      set("cmi.interactions." + i + ".student_response", answers[q] || "");
      set("cmi.interactions." + i + ".result", ok ? "correct" : "wrong");
    });
    var score = Math.round(right * 100 / 3);
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", score);
    set("cmi.core.lesson_status", score >= 80 ? "passed" : "failed");
    document.getElementById("result").textContent = "得分 " + score + "（80 分通过）。" +
      (score >= 80 ? "已通过，点击“保存并退出”结束本次学习。" : "未通过，可以点击“保存并退出”后重新开始一次。");
    if (api) { api.LMSCommit(""); }
  });
  window.addEventListener("pagehide", finish);
  show(page);
})();
