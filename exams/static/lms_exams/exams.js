/* Exam page enhancements: a countdown from the server's deadline and autosave of every change.
   Without JavaScript the page works with its buttons; this only posts the same form with the sequence number
   the server expects, one save at a time. */
(function () {
  "use strict";
  var form = document.querySelector("form.exam-form[data-autosave]");
  if (!form) return;
  var status = document.querySelector(".exam-status");
  var seqInput = form.querySelector("input[name=seq]");
  var saving = false, dirty = false, timer = null, stopped = false;

  function show(kind) {
    if (!status) return;
    status.textContent = status.getAttribute("data-" + kind + "-text");
    status.className = "exam-status small " + (kind === "saved" ? "saved" : (kind === "error" || kind === "stale") ? "error" : "");
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
          var at = new Date(res.body.saved_at).toLocaleTimeString();
          Array.prototype.forEach.call(form.querySelectorAll("[data-saved-for]"), function (el) {
            el.textContent = status.getAttribute("data-question-saved-text") + " " + at;
          });
          if (dirty) { save(); } else { show("saved"); }
        } else if (res.status === 409 && (res.body.code === "finished" || res.body.code === "overdue")) {
          stopped = true; window.location.reload();
        } else if (res.status === 409) {
          stopped = true; show("stale");
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
    if (!window.confirm(text)) event.preventDefault();
  });

  var countdown = document.querySelector(".exam-countdown[data-seconds-left]");
  if (countdown) {
    var ends = Date.now() + parseInt(countdown.getAttribute("data-seconds-left"), 10) * 1000;
    countdown.hidden = false;
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      countdown.textContent = (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
      countdown.classList.toggle("low", left <= 60);
      if (left === 0) {
        clearInterval(interval); show("timeup"); stopped = true;
        var submit = document.createElement("input");
        submit.type = "hidden"; submit.name = "action"; submit.value = "submit";
        form.appendChild(submit); form.submit();
      }
    };
    var interval = setInterval(tick, 1000); tick();
  }
})();
