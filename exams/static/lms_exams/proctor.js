// The proctor's screen (exams/templates/lms_exams/admin/proctor.html): counts down to the next start code and
// reloads the page when it changes, so the code on the wall is always the one candidates can type. A reload never
// throws away a reason being typed: while a form of the table holds text, the old code is marked as stale and the
// reload waits until the form is sent or emptied. Without JavaScript a <noscript> meta refresh does the reloading.
(function () {
  "use strict";
  var screen = document.querySelector("[data-proctor-screen]");
  if (!screen) {
    return;
  }
  var left = parseInt(screen.getAttribute("data-refresh-seconds"), 10);
  if (!(left > 0)) {
    left = 60;
  }
  var seconds = screen.querySelector("[data-proctor-seconds]");
  var code = screen.querySelector("[data-proctor-code]");
  var stale = screen.querySelector("[data-proctor-stale]");

  function typing() {
    var fields = screen.querySelectorAll("form input:not([type=hidden])");
    for (var i = 0; i < fields.length; i += 1) {
      if (fields[i].value || fields[i] === document.activeElement) {
        return true;
      }
    }
    return false;
  }

  function tick() {
    left -= 1;
    if (seconds) {
      seconds.textContent = String(Math.max(left - 1, 0));
    }
    if (left > 0) {
      return;
    }
    if (typing()) {
      if (code) {
        code.style.opacity = "0.3";
      }
      if (stale) {
        stale.hidden = false;
      }
      return;
    }
    window.clearInterval(timer);
    window.location.reload();
  }

  var timer = window.setInterval(tick, 1000);
})();
