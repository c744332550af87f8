/* Exam page enhancements: a countdown from the server's deadline, autosave of every change, and the exam room's
   reports of leaving the page. Without JavaScript the page works with its buttons; this only posts the same form
   with the sequence number the server expects, one save at a time. No inline script, no other host. */
(function () {
  "use strict";
  var form = document.querySelector("form.exam-form[data-autosave]");
  if (!form) return;
  var status = document.querySelector(".exam-status");
  var seqInput = form.querySelector("input[name=seq]");
  var saving = false, dirty = false, timer = null, stopped = false, going = false;

  function say(text, cls) {
    if (!status) return;
    status.textContent = text;
    status.className = "exam-status small" + (cls ? " " + cls : "");
  }
  function show(kind) {
    if (!status) return;
    say(status.getAttribute("data-" + kind + "-text"),
        kind === "saved" ? "saved" : (kind === "error" || kind === "stale") ? "error" : "");
  }
  /* The exam room refused this computer (another one holds the attempt, or this one is off the room's network):
     say what the server said; nothing more is saved or reported from this page. */
  function refused(detail) {
    stopped = true;
    say(detail || status && status.getAttribute("data-error-text") || "", "error refused");
  }

  function save() {
    if (saving || stopped) { dirty = true; return; }
    saving = true; dirty = false; show("saving");
    var data = new FormData(form);
    data.set("action", "autosave");
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", headers: { "X-Autosave": "1" } })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (res) {
        saving = false;
        if (res.status === 200) {
          seqInput.value = res.body.next_seq;
          clock(res.body);  // a save also brings the server's deadline (a proctor may have added time)
          var at = res.body.saved_at_text;  // the site's clock, as the page first wrote it, not the computer's
          Array.prototype.forEach.call(form.querySelectorAll("[data-saved-for]"), function (el) {
            var question = el.closest("fieldset.exam-question");  // a blank saved is still not an answer
            el.textContent = question && !isAnswered(question) ? status.getAttribute("data-question-unanswered-text")
              : status.getAttribute("data-question-saved-text") + " " + at;
          });
          if (dirty) { save(); } else { show("saved"); }
        } else if (res.status === 409 && (res.body.code === "finished" || res.body.code === "overdue")) {
          stopped = true; window.location.reload();
        } else if (res.status === 409) {
          stopped = true; show("stale");
        } else if (res.status === 403 && (res.body.code === "device" || res.body.code === "network")) {
          refused(res.body.detail);
        } else { show("error"); }
      })
      .catch(function () { saving = false; show("error"); });
  }

  form.addEventListener("change", function () { show("unsaved"); clearTimeout(timer); timer = setTimeout(save, 400); });
  form.addEventListener("input", function (e) {
    if (e.target.tagName === "TEXTAREA" || e.target.type === "text") { show("unsaved"); clearTimeout(timer); timer = setTimeout(save, 1500); }
  });

  /* Submitting with questions left blank asks first, and says how many (the questions on this page as they are
     now, and, one question per page, the other pages the server has no answer for). Time-up submits never ask. */
  function isAnswered(question) {
    return Array.prototype.some.call(question.querySelectorAll("input, textarea, select"), function (el) {
      if (el.type === "radio" || el.type === "checkbox") return el.checked;
      if (el.type === "hidden") return false;
      return el.value.trim() !== "";
    });
  }
  function unansweredCount() {
    var blank = Array.prototype.filter.call(form.querySelectorAll("fieldset.exam-question"), function (q) {
      return !isAnswered(q);
    }).length;
    var others = document.querySelectorAll(".exam-pages a:not(.answered):not([aria-current])");
    return blank + others.length;
  }
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (stopped || !button || button.value !== "submit") return;
    var count = unansweredCount();
    if (!count) return;
    var text = button.getAttribute(count === 1 ? "data-confirm-one" : "data-confirm-many").replace("{count}", count);
    quietUntil = Infinity;  // the dialog takes the window's focus: that is not leaving the page
    var sure = window.confirm(text);
    quietUntil = Date.now() + SAME_MOMENT;
    if (!sure) event.preventDefault();
  });

  /* The exam room: report leaving the page (docs/exams.md, "Leaving the page"). Best effort: the page cannot stop
     anyone, it tells the server what it saw, and the server decides (past the exam's limit it ends the attempt).
     - Leaving: window blur (focus_lost), the page hidden (tab_hidden), full screen left (fullscreen_exit). One
       moment of leaving fires several of these (a tab switch: blur, then hidden; leaving full screen to switch:
       all three), so the first one opens a 500 ms window that the others join, and the moment is reported once,
       as the most telling kind (tab_hidden > fullscreen_exit > focus_lost), with the time of the first. Until the
       candidate comes back (focus or visible again) nothing more counts as leaving: they are still away.
     - copy, cut, paste: reported each time (a held shortcut key, which repeats the event, once). Copying or
       cutting the question text is also stopped; answer fields are the candidate's own (never blocked, only
       reported).
     - Moving between this attempt's pages (its buttons and links, a reload) unloads the page, which hides it: not
       leaving. Neither is the confirmation the submit button asks (a dialog takes the focus).
     Reports are batched and posted within a second as JSON with the form's CSRF token (fetch with keepalive:
     sendBeacon cannot send the header). */
  var eventsUrl = form.getAttribute("data-events-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var leaveWarning = form.getAttribute("data-leave-warning");
  var LEAVING = { focus_lost: 1, fullscreen_exit: 2, tab_hidden: 3 };
  var SAME_MOMENT = 500;
  var queue = [], sending = false, flushTimer = null, retryDelay = 1000;
  var moment = null, away = false, unloading = false, quietUntil = 0, repeating = false;

  function flushSoon(delay) {
    if (flushTimer === null) flushTimer = setTimeout(flush, delay);
  }
  function report(kind, at) {
    if (stopped || !eventsUrl) return;
    queue.push({ kind: kind, at: at });
    flushSoon(100);
  }
  function flush() {
    flushTimer = null;
    if (sending || stopped || !queue.length) return;
    var batch = queue.splice(0, 50);
    sending = true;
    fetch(eventsUrl, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify({ events: batch })
    })
      .then(function (r) {
        return r.json().then(function (body) { return { status: r.status, body: body || {} }; },
                             function () { return { status: r.status, body: {} }; });
      })
      .then(function (res) {
        sending = false;
        if (res.status === 200) {
          retryDelay = 1000;
          if (res.body.ended) {
            stopped = going = true;
            window.location.assign(res.body.result_url || window.location.href);
            return;
          }
        } else if (res.status === 409) {  // finished meanwhile (time up, the proctor ended it): the page says so
          stopped = going = true; window.location.reload(); return;
        } else if (res.status === 403 && (res.body.code === "device" || res.body.code === "network")) {
          refused(res.body.detail); return;
        } else if (res.status >= 500 || res.status === 429) {
          queue = batch.concat(queue); flushSoon(retryDelay); retryDelay = Math.min(retryDelay * 2, 30000); return;
        }  // anything else (a report the server cannot read) is dropped, not retried for ever
        if (queue.length) flushSoon(0);
      })
      .catch(function () {  // offline: keep the reports and try again, less and less often
        sending = false;
        queue = batch.concat(queue); flushSoon(retryDelay); retryDelay = Math.min(retryDelay * 2, 30000);
      });
  }

  function warnLeft() {
    if (leaveWarning && !stopped) say(leaveWarning, "error");
  }
  function commitMoment() {
    var m = moment;
    if (!m || m.sent) return;
    m.sent = true; clearTimeout(m.timer);
    report(m.kind, m.at);
    if (!away) warnLeft();  // left full screen without leaving the page: they are here to read it now
  }
  function left(kind) {
    if (stopped || unloading) return;
    var now = Date.now();
    if (kind === "focus_lost" && now < quietUntil) return;
    if (moment && now - moment.started < SAME_MOMENT) {  // the same moment: join it
      if (!moment.sent && LEAVING[kind] > LEAVING[moment.kind]) moment.kind = kind;
      if (kind !== "fullscreen_exit") away = true;
      if (moment.kind === "tab_hidden") commitMoment();
      return;
    }
    if (away && kind !== "fullscreen_exit") return;  // still away since the last report
    if (kind !== "fullscreen_exit") away = true;
    moment = { kind: kind, at: new Date().toISOString(), started: now, sent: false, timer: null };
    // Hidden is the most telling kind, and a hidden page's timers are slowed down: report it at once.
    if (kind === "tab_hidden") { commitMoment(); } else { moment.timer = setTimeout(commitMoment, SAME_MOMENT); }
  }
  function back() {
    if (!away || document.visibilityState === "hidden") return;
    away = false;
    warnLeft();
  }

  window.addEventListener("blur", function () { left("focus_lost"); });
  window.addEventListener("focus", back);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { left("tab_hidden"); } else { back(); }
  });
  ["fullscreenchange", "webkitfullscreenchange"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (!(document.fullscreenElement || document.webkitFullscreenElement)) left("fullscreen_exit");
    });
  });
  // Unloading (a button or link of this attempt, a reload, the time-up submit) hides the page: not leaving it.
  window.addEventListener("beforeunload", function () { unloading = true; });
  window.addEventListener("pagehide", function () { unloading = true; });
  window.addEventListener("pageshow", function (e) { if (e.persisted) unloading = false; });

  function inField(node) {
    var el = node && node.nodeType === 1 ? node : node && node.parentElement;
    return !!(el && el.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
  }
  function ofQuestions(event) {
    var sel = window.getSelection ? window.getSelection() : null;
    var nodes = [event.target, sel && sel.anchorNode, sel && sel.focusNode];
    return nodes.some(function (n) {
      var el = n && n.nodeType === 1 ? n : n && n.parentElement;
      return el && form.contains(el) && !inField(el);
    });
  }
  // A held Ctrl+C, Ctrl+X or Ctrl+V repeats its clipboard event as fast as the key repeats: one report.
  var CLIP_KEYS = { c: 1, x: 1, v: 1, insert: 1 };
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey || e.shiftKey) && CLIP_KEYS[(e.key || "").toLowerCase()]) repeating = e.repeat;
  }, true);
  document.addEventListener("keyup", function () { repeating = false; }, true);
  ["copy", "cut", "paste"].forEach(function (kind) {
    document.addEventListener(kind, function (event) {
      if (stopped || unloading) return;
      if (kind !== "paste" && !inField(event.target) && ofQuestions(event)) event.preventDefault();
      if (!repeating) report(kind, new Date().toISOString());
    });
  });

  /* The countdown. The server owns the deadline: the page counts down to the deadline the server last gave (the
     page's seconds left, then every save's and every check's), so time a proctor adds reaches an open page within
     CHECK_EVERY without a reload. At 0 the page does not decide on its own clock: it asks the server. Time added:
     it counts on. Time up on the server: it submits this page's answers (the server still takes them within its
     grace). Already finished on the server (the deadline passed, a proctor ended it): it reloads, and the server
     sends it to the result page, which says why. Unreachable: it asks again, and never submits on its own. */
  var countdown = document.querySelector(".exam-countdown[data-seconds-left]");
  var deadlineTime = countdown && countdown.parentNode.querySelector("time");
  var CHECK_EVERY = 30000, RETRY = 5000;
  var ends = null, interval = null, asking = false, askTimer = null, askedAtZero = false;

  function clock(body) {
    if (!countdown || !body || typeof body.seconds_left !== "number") return;
    ends = Date.now() + body.seconds_left * 1000;
    if (body.seconds_left > 0) askedAtZero = false;  // time was added: the next 0 asks again
    if (deadlineTime && body.deadline_at) {
      deadlineTime.setAttribute("datetime", body.deadline_at);
      if (body.deadline_text) deadlineTime.textContent = body.deadline_text;
    }
    if (body.seconds_left <= 0) timeUp();
    else tick();
  }
  function timeUp() {
    if (going || stopped) return;
    clearInterval(interval); clearTimeout(askTimer); show("timeup"); stopped = going = true;
    var submit = document.createElement("input");
    submit.type = "hidden"; submit.name = "action"; submit.value = "submit";
    form.appendChild(submit); form.submit();
  }
  function ask() {
    clearTimeout(askTimer);
    if (stopped || going) return;
    if (asking) { askTimer = setTimeout(ask, RETRY); return; }  // one question at a time: this one asks next
    asking = true;
    fetch(form.getAttribute("action"), { method: "GET", credentials: "same-origin", cache: "no-store",
                                         headers: { "X-Autosave": "1", "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body || {} }; }); })
      .then(function (res) {
        asking = false;
        if (res.status === 200) {
          clock(res.body);
        } else if (res.status === 409) {  // finished on the server: its result page says how
          stopped = going = true; window.location.reload(); return;
        } else if (res.status === 403 && (res.body.code === "device" || res.body.code === "network")) {
          refused(res.body.detail); return;
        }
        clearTimeout(askTimer); askTimer = setTimeout(ask, res.status === 200 ? CHECK_EVERY : RETRY);
      })
      .catch(function () { asking = false; askTimer = setTimeout(ask, RETRY); });
  }
  function tick() {
    if (ends === null) return;
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    countdown.textContent = (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    countdown.classList.toggle("low", left <= 60);
    if (left === 0 && !askedAtZero && !going && !stopped) {  // the server says whether the time is really up
      askedAtZero = true; ask();
    }
  }
  if (countdown) {
    ends = Date.now() + parseInt(countdown.getAttribute("data-seconds-left"), 10) * 1000;
    countdown.hidden = false;
    interval = setInterval(tick, 1000); tick();
    askTimer = setTimeout(ask, CHECK_EVERY);
  }
})();
