/* The SCORM runtime of the player page (courses/scorm/views.py: player).
 *
 * npm scorm-again provides the API a SCO looks for in its parent window: window.API (SCORM 1.2) or
 * window.API_1484_11 (SCORM 2004). It is started with the CMI the server gives (what the SCO stored before, and the
 * values the LMS owns), and every commit goes to the server, which checks it and keeps it:
 *   POST {seq, session, terminate, cmi: {flattened CMI}} with the CSRF header; answer {result, errorCode}.
 * `seq` grows with each commit of this page, from the last one the server accepted, so a replayed or stale commit
 * changes nothing. Commits are synchronous (as SCORM expects: LMSCommit answers with the server's verdict); while the
 * page is being left, the last one goes with fetch keepalive, which keeps the CSRF header (sendBeacon cannot).
 */
(function () {
  "use strict";
  var node = document.getElementById("lms-scorm-config");
  if (!node) { return; }
  var config = JSON.parse(node.textContent);
  var seq = config.seq;
  var leaving = false;
  var message = document.querySelector("[data-scorm-message]");
  var failure = config.version === "1.2" ? 101 : 391;

  window.addEventListener("pagehide", function () { leaving = true; });

  function show(text) {
    if (!message) { return; }
    message.textContent = text || "";
    message.hidden = !text;
  }

  function headers() {
    return { "Content-Type": "application/json", "X-CSRFToken": config.csrfToken, "X-Requested-With": "XMLHttpRequest" };
  }

  var httpService = {
    processHttpRequest: function (url, params, immediate, apiLog, processListeners, metadata) {
      seq += 1;
      var terminate = Boolean(immediate || (metadata && metadata.isTerminateCommit));
      var body = JSON.stringify({ seq: seq, session: config.session, terminate: terminate, cmi: params });
      if (leaving) {
        try {
          fetch(url, { method: "POST", keepalive: true, credentials: "same-origin", headers: headers(), body: body });
          return { result: "true", errorCode: 0 };
        } catch (e) {
          return { result: "false", errorCode: failure };
        }
      }
      var xhr = new XMLHttpRequest();
      try {
        xhr.open("POST", url, false);
        var all = headers();
        Object.keys(all).forEach(function (key) { xhr.setRequestHeader(key, all[key]); });
        xhr.send(body);
      } catch (e) {
        show(config.messages.failed);
        return { result: "false", errorCode: failure };
      }
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (xhr.status >= 200 && xhr.status < 300 && answer && answer.result === true) {
        show("");
        return { result: "true", errorCode: 0 };
      }
      show((answer && answer.message) || config.messages.failed);
      return { result: "false", errorCode: (answer && typeof answer.errorCode === "number") ? answer.errorCode : failure };
    },
    updateSettings: function () {}
  };

  var settings = {
    lmsCommitUrl: config.commitUrl,
    autocommit: true,
    autocommitSeconds: 30,
    dataCommitFormat: "flattened",
    httpService: httpService,
    logLevel: 4
  };
  var api;
  if (config.version === "1.2") {
    api = new window.Scorm12API(settings);
    api.loadFromFlattenedJSON(config.cmi, "");
    window.API = api;
  } else {
    api = new window.Scorm2004API(settings);
    api.loadFromFlattenedJSON(config.cmi, "");
    window.API_1484_11 = api;
  }
  // Only now load the SCO: one that loaded before the runtime existed would find no API in its parent.
  var frame = document.querySelector("iframe[data-scorm-frame][data-scorm-src]");
  if (frame) { frame.src = frame.getAttribute("data-scorm-src"); }
})();
