/* Plays every H5P activity block on the page with h5p-standalone (served from our static files, no CDN, MathJax
 * included)
 * and posts each xAPI statement to the server, with the CSRF token. The server keeps the truth: it takes
 * the learner from the session and re-scores the answers. */
(function () {
  'use strict';
  if (window.__lmsH5PStarted) { return; }
  window.__lmsH5PStarted = true;
  window.__lmsH5PPosted = [];
  var players = [];

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function loadCss(href) {
    var l = document.createElement('link');
    l.rel = 'stylesheet'; l.href = href;
    document.head.appendChild(l);
  }

  function showSaved(player, ok) {
    var el = player.element.parentNode.querySelector('.lms-h5p-saved');
    if (!el) { return; }
    el.textContent = ok ? el.dataset.savedText : el.dataset.errorText;
    el.hidden = false;
  }

  function post(player, statement) {
    return fetch(player.config.statementsUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': player.config.csrfToken},
      body: JSON.stringify(statement)
    }).then(function (response) {
      return response.json().then(function (data) {
        window.__lmsH5PPosted.push({status: response.status, data: data});
        if (data && data.is_attempt) { showSaved(player, response.ok); }
      });
    }).catch(function () { showSaved(player, false); });
  }

  function route(statement) {
    var id = (statement && statement.object && statement.object.id) || '';
    for (var i = 0; i < players.length; i++) {
      if (id.indexOf(players[i].config.options.xAPIObjectIRI) === 0) { return post(players[i], statement); }
    }
  }

  async function start() {
    var elements = document.querySelectorAll('.lms-h5p-player');
    if (!elements.length) { return; }
    var first = JSON.parse(document.getElementById(elements[0].dataset.config).textContent);
    loadCss(first.playerCss);
    // h5p-standalone merges a global H5PIntegration into its own: this is how H5P libraries get their settings
    // (MathJax from our static files, not a CDN). The frames read it from this window.
    window.H5PIntegration = Object.assign(window.H5PIntegration || {}, {libraryConfig: first.libraryConfig});
    if (!window.H5PStandalone) { await loadScript(first.mainJs); }
    var Standalone = window.H5PStandalone;  // frame.bundle.js may overwrite the global: keep our own reference
    var dispatchers = [];  // each h5p-standalone instance may install its own top-level H5P: listen to all
    function listen() {
      var dispatcher = window.H5P && window.H5P.externalDispatcher;
      if (dispatcher && dispatchers.indexOf(dispatcher) === -1) {
        dispatchers.push(dispatcher);
        dispatcher.on('xAPI', function (event) { route(event.data.statement); });
      }
    }
    for (var i = 0; i < elements.length; i++) {
      var config = JSON.parse(document.getElementById(elements[i].dataset.config).textContent);
      try {
        await new Standalone.H5P(elements[i], config.options);
      } catch (e) {
        elements[i].textContent = String(e);
        continue;
      }
      players.push({element: elements[i], config: config});
      listen();
    }
    listen();
    window.__lmsH5PReady = true;
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
