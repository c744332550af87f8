/* The question editor and the fixed-question picker of the Wagtail admin (exams/widgets.py).

   The editor keeps the question's JSON fields (content, key, option_feedback) as the form's own fields and
   writes them on every change, in exactly the shapes exams/scoring.py documents; the server checks them again
   (exams/bank.py) and its messages are shown at the top of the editor. Without JavaScript the JSON fields stay.
   No inline script, no eval: it runs under the admin's Content-Security-Policy. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (name === "text") node.textContent = value;
      else if (name === "on") Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
      else if (value === true) node.setAttribute(name, "");
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function parse(text, fallback) {
    if (!text || !text.trim()) return fallback;
    try { var value = JSON.parse(text); return value && typeof value === "object" ? value : fallback; }
    catch (e) { return undefined; }
  }

  function nextId(prefix, taken) {
    var used = {};
    taken.forEach(function (x) { used[x.id] = true; });
    if (prefix === "") {
      for (var c = 0; c < 26; c++) { var letter = String.fromCharCode(97 + c); if (!used[letter]) return letter; }
      prefix = "o";
    }
    for (var n = 1; ; n++) { if (!used[prefix + n]) return prefix + n; }
  }

  function move(list, index, delta) {
    var to = index + delta;
    if (to < 0 || to >= list.length) return;
    var item = list.splice(index, 1)[0];
    list.splice(to, 0, item);
  }

  function QuestionEditor(root) {
    this.root = root;
    this.form = root.closest("form");
    this.L = JSON.parse(root.getAttribute("data-labels"));
    this.sources = {};
    var self = this;
    ["content", "key", "option_feedback"].forEach(function (role) {
      self.sources[role] = self.form.querySelector("[data-question-json='" + role + "']");
    });
    this.kindField = this.form.querySelector("[name='kind']");
    this.textField = this.form.querySelector("[name='text']");
    this.pointsField = this.form.querySelector("[name='points']");
    this.box = root.querySelector(".lms-qe__form");
    this.problems = root.querySelector(".lms-qe__problems");
    this.preview = root.querySelector(".lms-qe__preview");
    var content = parse(this.sources.content.value, {});
    var key = parse(this.sources.key.value, {});
    var feedback = this.sources.option_feedback ? parse(this.sources.option_feedback.value, {}) : {};
    if (content === undefined || key === undefined || feedback === undefined) {
      this.problems.hidden = false;
      this.problems.textContent = this.L.badJson;
      return;  // the JSON fields stay visible and editable
    }
    this.collectServerErrors();
    this.hideSources();
    this.kind = this.kindField ? this.kindField.value : "single";
    this.state = this.load(this.kind, content, key, feedback);
    this.render();
    this.write();
    if (this.kindField) this.kindField.addEventListener("change", function () { self.changeKind(self.kindField.value); });
    [this.textField, this.pointsField].forEach(function (field) {
      if (field) field.addEventListener("input", function () { self.schedulePreview(); });
    });
  }

  QuestionEditor.prototype.collectServerErrors = function () {
    /* The server's messages about the options and key sit beside the JSON fields, which the editor hides:
       show them at the top of the editor instead. */
    var messages = [];
    var self = this;
    Object.keys(this.sources).forEach(function (role) {
      var source = self.sources[role];
      var wrapper = source && (source.closest("[data-field-wrapper]") || source.closest(".w-field__wrapper"));
      if (!wrapper) return;
      Array.prototype.forEach.call(wrapper.querySelectorAll(".error-message, .w-field__errors p"), function (p) {
        var text = p.textContent.trim();
        if (text && messages.indexOf(text) < 0) messages.push(text);
      });
    });
    if (!messages.length) return;
    this.problems.hidden = false;
    this.problems.appendChild(el("p", { text: this.L.problems }));
    this.problems.appendChild(el("ul", {}, messages.map(function (m) { return el("li", { text: m }); })));
  };

  QuestionEditor.prototype.hideSources = function () {
    var self = this;
    this.root.querySelector(".lms-qe__source").hidden = true;
    ["key", "option_feedback"].forEach(function (role) {
      var source = self.sources[role];
      if (!source) return;
      var panel = source.closest("section.w-panel") || source.closest("[data-field-wrapper]") || source.parentNode;
      panel.hidden = true;
      panel.classList.add("lms-qe__hidden-source");
    });
  };

  QuestionEditor.prototype.load = function (kind, content, key, feedback) {
    var toList = function (items) {
      return (Array.isArray(items) ? items : []).filter(function (x) { return x && typeof x === "object"; })
        .map(function (x) { return { id: String(x.id || ""), text: String(x.text || "") }; });
    };
    var correct = (Array.isArray(key.correct) ? key.correct : []).map(String);
    var options = toList(content.options).map(function (o) {
      return { id: o.id, text: o.text, correct: correct.indexOf(o.id) >= 0, feedback: String((feedback || {})[o.id] || "") };
    });
    var pairs = key.pairs && typeof key.pairs === "object" ? key.pairs : {};
    var items = toList(content.items);
    var order = (Array.isArray(key.order) ? key.order : []).map(String);
    if (order.length) {  // the items in their right order
      items.sort(function (a, b) {
        var x = order.indexOf(a.id), y = order.indexOf(b.id);
        return (x < 0 ? 1e9 : x) - (y < 0 ? 1e9 : y);
      });
    }
    var blanks = (Array.isArray(key.blanks) ? key.blanks : []).map(function (b) {
      return (Array.isArray(b) ? b : [b]).map(String);
    });
    var answers = (Array.isArray(key.answers) ? key.answers : []).map(String);
    return {
      options: options.length ? options : [{ id: "a", text: "", correct: false, feedback: "" },
                                          { id: "b", text: "", correct: false, feedback: "" }],
      partial: !!key.partial,
      penalty: key.penalty === undefined ? "1" : String(key.penalty),
      tf: typeof key.correct === "boolean" ? key.correct : null,
      blanks: blanks.length ? blanks : [[""]],
      ignoreCase: !!key.ignore_case,
      foldWidth: !!key.fold_width,
      value: key.value === undefined || key.value === null ? "" : String(key.value),
      tolerance: key.tolerance === undefined || key.tolerance === null ? "0" : String(key.tolerance),
      prompts: toList(content.prompts).map(function (p) { return { id: p.id, text: p.text, choice: String(pairs[p.id] || "") }; }),
      choices: toList(content.choices),
      items: items.length ? items : [{ id: "i1", text: "" }, { id: "i2", text: "" }],
      answers: answers.length ? answers : [""],
      manual: !!key.manual,
      extraFeedback: feedback || {},
    };
  };

  QuestionEditor.prototype.changeKind = function (kind) {
    this.kind = kind;
    var s = this.state;
    if (kind === "single") {  // keep one right option at most
      var seen = false;
      s.options.forEach(function (o) { if (o.correct && seen) o.correct = false; if (o.correct) seen = true; });
    }
    if (kind === "matching" && !s.prompts.length) {
      s.prompts = [{ id: "p1", text: "", choice: "" }, { id: "p2", text: "", choice: "" }];
      s.choices = [{ id: "c1", text: "" }, { id: "c2", text: "" }];
    }
    this.render();
    this.write();
  };

  /* ---- serialising: the stored shapes of exams/scoring.py ---- */
  QuestionEditor.prototype.serialise = function () {
    var s = this.state, kind = this.kind, content = {}, key = {}, feedback = {};
    var clean = function (list) { return list.map(function (x) { return { id: x.id, text: x.text.trim() }; }); };
    var number = function (text) { var n = Number(String(text).replace(/,/g, ".").trim()); return String(text).trim() === "" || !isFinite(n) ? text : n; };
    if (kind === "single" || kind === "multiple") {
      content.options = clean(s.options);
      key.correct = s.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
      if (kind === "multiple") { key.partial = s.partial; if (s.partial) key.penalty = number(s.penalty); }
      s.options.forEach(function (o) { if (o.feedback.trim()) feedback[o.id] = o.feedback.trim(); });
    } else if (kind === "truefalse") {
      if (s.tf !== null) key.correct = s.tf;
    } else if (kind === "fill") {
      key.blanks = s.blanks.map(function (b) { return b.map(function (v) { return v.trim(); }).filter(Boolean); });
      key.ignore_case = s.ignoreCase; key.fold_width = s.foldWidth;
    } else if (kind === "numeric") {
      key.value = number(s.value); key.tolerance = number(s.tolerance === "" ? "0" : s.tolerance);
    } else if (kind === "matching") {
      content.prompts = clean(s.prompts); content.choices = clean(s.choices);
      key.pairs = {};
      s.prompts.forEach(function (p) { key.pairs[p.id] = p.choice; });
    } else if (kind === "ordering") {
      content.items = clean(s.items);
      key.order = s.items.map(function (i) { return i.id; });
    } else if (kind === "short") {
      key.answers = s.answers.map(function (a) { return a.trim(); }).filter(Boolean);
      key.ignore_case = s.ignoreCase; key.fold_width = s.foldWidth; key.manual = s.manual;
    }
    return { content: content, key: key, option_feedback: feedback };
  };

  QuestionEditor.prototype.write = function () {
    var data = this.serialise();
    this.sources.content.value = JSON.stringify(data.content);
    this.sources.key.value = JSON.stringify(data.key);
    if (this.sources.option_feedback) this.sources.option_feedback.value = JSON.stringify(data.option_feedback);
    this.schedulePreview();
  };

  /* ---- the live preview: the learner's own template, rendered by the server without the key ---- */
  QuestionEditor.prototype.schedulePreview = function () {
    var self = this;
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(function () { self.loadPreview(); }, 300);
  };

  QuestionEditor.prototype.loadPreview = function () {
    var url = this.root.getAttribute("data-preview-url");
    var token = this.form.querySelector("[name='csrfmiddlewaretoken']");
    var data = new FormData();
    data.append("kind", this.kind);
    data.append("text", this.textField ? this.textField.value : "");
    data.append("points", this.pointsField ? this.pointsField.value : "1");
    data.append("content", this.sources.content.value);
    data.append("key", this.sources.key.value);
    var self = this;
    var seq = (this.previewSeq = (this.previewSeq || 0) + 1);
    fetch(url, { method: "POST", body: data, credentials: "same-origin",
                 headers: { "X-CSRFToken": token ? token.value : "" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (seq !== self.previewSeq) return;
        self.preview.hidden = false;
        self.preview.querySelector(".lms-qe__preview-title").textContent = self.L.preview;
        self.preview.querySelector(".lms-qe__preview-body").innerHTML = html;  // escaped by the server's template
      })
      .catch(function () {
        self.preview.hidden = false;
        self.preview.querySelector(".lms-qe__preview-body").textContent = self.L.previewFailed;
      });
  };

  /* ---- rendering ---- */
  QuestionEditor.prototype.render = function () {
    var box = this.box;
    while (box.firstChild) box.removeChild(box.firstChild);
    var render = {
      single: this.renderChoices, multiple: this.renderChoices, truefalse: this.renderTrueFalse,
      fill: this.renderFill, numeric: this.renderNumeric, matching: this.renderMatching,
      ordering: this.renderOrdering, short: this.renderShort, essay: this.renderEssay,
    }[this.kind] || this.renderEssay;
    box.setAttribute("data-kind", this.kind);
    render.call(this, box);
  };

  QuestionEditor.prototype.button = function (label, action, extra) {
    var self = this;
    return el("button", Object.assign({ type: "button", class: "button button-small button-secondary", text: label,
      on: { click: function () { action(); self.render(); self.write(); } } }, extra || {}));
  };

  QuestionEditor.prototype.rowTools = function (list, index, name) {
    var L = this.L;
    return el("span", { class: "lms-qe__tools" }, [
      this.button("↑", function () { move(list, index, -1); }, { title: L.up, "aria-label": L.up + " (" + name + ")", disabled: index === 0 }),
      this.button("↓", function () { move(list, index, 1); }, { title: L.down, "aria-label": L.down + " (" + name + ")", disabled: index === list.length - 1 }),
      this.button(L.remove, function () { list.splice(index, 1); }, { "aria-label": L.remove + " (" + name + ")", disabled: list.length <= 1 }),
    ]);
  };

  QuestionEditor.prototype.textInput = function (value, label, onInput, extra) {
    var self = this;
    return el("input", Object.assign({ type: "text", value: value, "aria-label": label, placeholder: label,
      on: { input: function (e) { onInput(e.target.value); self.write(); } } }, extra || {}));
  };

  QuestionEditor.prototype.checkbox = function (checked, label, onChange, type, name) {
    var self = this;
    var input = el("input", { type: type || "checkbox", name: name, checked: !!checked,
      on: { change: function (e) { onChange(e.target.checked); self.render(); self.write(); } } });
    return el("label", { class: "lms-qe__check" }, [input, document.createTextNode(" " + label)]);
  };

  QuestionEditor.prototype.renderChoices = function (box) {
    var s = this.state, L = this.L, self = this, single = this.kind === "single";
    box.appendChild(el("p", { class: "help", text: L.choiceHelp }));
    var list = el("ol", { class: "lms-qe__list" });
    s.options.forEach(function (o, i) {
      var name = L.option + " " + (i + 1);
      list.appendChild(el("li", { class: "lms-qe__row", "data-option": o.id }, [
        self.textInput(o.text, name, function (v) { o.text = v; }, { class: "lms-qe__wide" }),
        self.checkbox(o.correct, L.right, function (on) {
          if (single) s.options.forEach(function (x) { x.correct = false; });
          o.correct = on;
        }, single ? "radio" : "checkbox", single ? "lms-qe-right" : null),
        self.rowTools(s.options, i, name),
        self.textInput(o.feedback, L.feedback, function (v) { o.feedback = v; }, { class: "lms-qe__feedback" }),
      ]));
    });
    box.appendChild(list);
    box.appendChild(this.button(L.addOption, function () {
      s.options.push({ id: nextId("", s.options), text: "", correct: false, feedback: "" });
    }, { class: "button button-small", "data-add": "option" }));
    if (!single) {
      box.appendChild(el("div", { class: "lms-qe__settings" }, [
        this.checkbox(s.partial, L.partial, function (on) { s.partial = on; }),
        s.partial ? el("label", {}, [document.createTextNode(L.penalty + " "),
          el("input", { type: "number", min: "0", max: "1", step: "0.05", value: s.penalty, class: "lms-qe__number",
            on: { input: function (e) { s.penalty = e.target.value; self.write(); } } })]) : null,
      ]));
    }
  };

  QuestionEditor.prototype.renderTrueFalse = function (box) {
    var s = this.state, L = this.L;
    box.appendChild(el("fieldset", { class: "lms-qe__settings" }, [
      el("legend", { text: L.statementIs }),
      this.checkbox(s.tf === true, L["true"], function () { s.tf = true; }, "radio", "lms-qe-tf"),
      this.checkbox(s.tf === false, L["false"], function () { s.tf = false; }, "radio", "lms-qe-tf"),
    ]));
  };

  QuestionEditor.prototype.renderFill = function (box) {
    var s = this.state, L = this.L, self = this;
    box.appendChild(el("p", { class: "help", text: L.blanksHelp }));
    var list = el("ol", { class: "lms-qe__list" });
    s.blanks.forEach(function (variants, i) {
      var name = L.blank.replace("%(n)s", i + 1);
      var inputs = variants.map(function (v, j) {
        return el("span", { class: "lms-qe__variant" }, [
          self.textInput(v, name + " · " + L.variant + " " + (j + 1), function (value) { variants[j] = value; }),
          variants.length > 1 ? self.button("×", function () { variants.splice(j, 1); }, { "aria-label": L.remove + " (" + name + ", " + (j + 1) + ")" }) : null,
        ]);
      });
      list.appendChild(el("li", { class: "lms-qe__row", "data-blank": String(i) }, [
        el("strong", { text: name }),
        el("span", { class: "lms-qe__variants" }, inputs),
        self.button(L.addVariant, function () { variants.push(""); }),
        self.rowTools(s.blanks, i, name),
      ]));
    });
    box.appendChild(list);
    box.appendChild(this.button(L.addBlank, function () { s.blanks.push([""]); }, { class: "button button-small", "data-add": "blank" }));
    this.renderTextOptions(box);
  };

  QuestionEditor.prototype.renderTextOptions = function (box) {
    var s = this.state, L = this.L;
    box.appendChild(el("div", { class: "lms-qe__settings" }, [
      this.checkbox(s.ignoreCase, L.ignoreCase, function (on) { s.ignoreCase = on; }),
      this.checkbox(s.foldWidth, L.foldWidth, function (on) { s.foldWidth = on; }),
    ]));
  };

  QuestionEditor.prototype.renderNumeric = function (box) {
    var s = this.state, L = this.L, self = this;
    var field = function (label, prop, name) {
      return el("label", { class: "lms-qe__numeric" }, [document.createTextNode(label + " "),
        el("input", { type: "text", inputmode: "decimal", name: name, value: s[prop], class: "lms-qe__number",
          on: { input: function (e) { s[prop] = e.target.value; self.write(); } } })]);
    };
    box.appendChild(el("div", { class: "lms-qe__settings" }, [
      field(L.value, "value", "lms-qe-value"), field(L.tolerance, "tolerance", "lms-qe-tolerance")]));
  };

  QuestionEditor.prototype.renderMatching = function (box) {
    var s = this.state, L = this.L, self = this;
    box.appendChild(el("h4", { text: L.choices }));
    var choices = el("ol", { class: "lms-qe__list" });
    s.choices.forEach(function (c, i) {
      var name = L.choice + " " + (i + 1);
      choices.appendChild(el("li", { class: "lms-qe__row", "data-choice": c.id }, [
        self.textInput(c.text, name, function (v) {
          c.text = v;
          Array.prototype.forEach.call(box.querySelectorAll("option[value='" + c.id + "']"), function (o) { o.textContent = v || name; });
        }, { class: "lms-qe__wide" }),
        self.rowTools(s.choices, i, name),
      ]));
    });
    box.appendChild(choices);
    box.appendChild(this.button(L.addChoice, function () { s.choices.push({ id: nextId("c", s.choices), text: "" }); },
      { class: "button button-small", "data-add": "choice" }));
    box.appendChild(el("h4", { text: L.prompts }));
    var prompts = el("ol", { class: "lms-qe__list" });
    s.prompts.forEach(function (p, i) {
      var name = L.prompt + " " + (i + 1);
      var select = el("select", { "aria-label": L.matches + " (" + name + ")",
        on: { change: function (e) { p.choice = e.target.value; self.write(); } } },
        [el("option", { value: "", text: L.none })].concat(s.choices.map(function (c, j) {
          return el("option", { value: c.id, text: c.text || L.choice + " " + (j + 1), selected: p.choice === c.id });
        })));
      prompts.appendChild(el("li", { class: "lms-qe__row", "data-prompt": p.id }, [
        self.textInput(p.text, name, function (v) { p.text = v; }, { class: "lms-qe__wide" }),
        el("span", { text: "→ " + L.matches }), select,
        self.rowTools(s.prompts, i, name),
      ]));
    });
    box.appendChild(prompts);
    box.appendChild(this.button(L.addPrompt, function () { s.prompts.push({ id: nextId("p", s.prompts), text: "", choice: "" }); },
      { class: "button button-small", "data-add": "prompt" }));
    // a choice that was removed no longer matches anything
    var ids = s.choices.map(function (c) { return c.id; });
    s.prompts.forEach(function (p) { if (ids.indexOf(p.choice) < 0) p.choice = ""; });
  };

  QuestionEditor.prototype.renderOrdering = function (box) {
    var s = this.state, L = this.L, self = this;
    box.appendChild(el("p", { class: "help", text: L.orderHelp }));
    var list = el("ol", { class: "lms-qe__list" });
    s.items.forEach(function (item, i) {
      var name = L.item + " " + (i + 1);
      list.appendChild(el("li", { class: "lms-qe__row", "data-item": item.id }, [
        self.textInput(item.text, name, function (v) { item.text = v; }, { class: "lms-qe__wide" }),
        self.rowTools(s.items, i, name),
      ]));
    });
    box.appendChild(list);
    box.appendChild(this.button(L.addItem, function () { s.items.push({ id: nextId("i", s.items), text: "" }); },
      { class: "button button-small", "data-add": "item" }));
  };

  QuestionEditor.prototype.renderShort = function (box) {
    var s = this.state, L = this.L, self = this;
    box.appendChild(el("div", { class: "lms-qe__settings" }, [
      this.checkbox(s.manual, L.manual, function (on) { s.manual = on; })]));
    box.appendChild(el("h4", { text: L.answers }));
    var list = el("ol", { class: "lms-qe__list" });
    s.answers.forEach(function (a, i) {
      var name = L.variant + " " + (i + 1);
      list.appendChild(el("li", { class: "lms-qe__row", "data-answer": String(i) }, [
        self.textInput(a, name, function (v) { s.answers[i] = v; }, { class: "lms-qe__wide" }),
        self.rowTools(s.answers, i, name),
      ]));
    });
    box.appendChild(list);
    box.appendChild(this.button(L.addAnswer, function () { s.answers.push(""); }, { class: "button button-small", "data-add": "answer" }));
    this.renderTextOptions(box);
  };

  QuestionEditor.prototype.renderEssay = function (box) {
    box.appendChild(el("p", { class: "help", text: this.L.essay }));
  };

  /* ---- the fixed-question picker of an exam section ---- */
  function pickerSearch(root) {
    var params = new URLSearchParams();
    params.set("q", root.querySelector("[data-qp-q]").value);
    params.set("category", root.querySelector("[data-qp-category]").value);
    params.set("tag", root.querySelector("[data-qp-tag]").value);
    params.set("kind", root.querySelector("[data-qp-kind]").value);
    var status = root.querySelector(".lms-qp__status");
    var results = root.querySelector(".lms-qp__results");
    fetch(root.getAttribute("data-search-url") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        while (results.firstChild) results.removeChild(results.firstChild);
        status.textContent = !data.results.length ? root.getAttribute("data-none-text")
          : data.more ? root.getAttribute("data-more-text").replace("%(count)s", data.limit) : "";
        var select = root.querySelector("select[multiple]");
        data.results.forEach(function (q) {
          var chosen = !!select.querySelector("option[value='" + q.id + "']");
          var add = el("button", { type: "button", class: "button button-small", "data-qp-add": String(q.id),
            text: chosen ? root.getAttribute("data-added-text") : root.getAttribute("data-add-text"), disabled: chosen });
          add.addEventListener("click", function () { pickerAdd(root, q, add); });
          results.appendChild(el("li", { "data-id": String(q.id) }, [
            el("span", { class: "lms-qp__text", text: q.text }), document.createTextNode(" "),
            el("span", { class: "lms-qp__meta", text: q.kind + " · " + q.category + (q.tags.length ? " · " + q.tags.join(", ") : "") }),
            document.createTextNode(" "), add]));
        });
      })
      .catch(function () { status.textContent = root.getAttribute("data-failed-text"); });
  }

  function pickerAdd(root, q, button) {
    var select = root.querySelector("select[multiple]");
    if (select.querySelector("option[value='" + q.id + "']")) return;
    select.appendChild(el("option", { value: String(q.id), selected: true, text: q.text }));
    var remove = el("button", { type: "button", class: "button button-small button-secondary", "data-qp-remove": true,
      text: root.getAttribute("data-remove-text") });
    root.querySelector(".lms-qp__chosen").appendChild(el("li", { "data-id": String(q.id) }, [
      el("span", { class: "lms-qp__text", text: q.text }), document.createTextNode(" "),
      el("span", { class: "lms-qp__meta", text: q.kind + " · " + q.category }), document.createTextNode(" "), remove]));
    root.querySelector(".lms-qp__empty").hidden = true;
    button.disabled = true;
    button.textContent = root.getAttribute("data-added-text");
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function pickerRemove(root, item) {
    var id = item.getAttribute("data-id");
    var option = root.querySelector("select[multiple] option[value='" + id + "']");
    if (option) option.remove();
    item.remove();
    var add = root.querySelector("[data-qp-add='" + id + "']");
    if (add) { add.disabled = false; add.textContent = root.getAttribute("data-add-text"); }
    root.querySelector(".lms-qp__empty").hidden = !!root.querySelector(".lms-qp__chosen li");
    root.querySelector("select[multiple]").dispatchEvent(new Event("change", { bubbles: true }));
  }

  /* Sections are added in the page (Wagtail's InlinePanel clones a template), so the picker listens on the
     document rather than on each widget. */
  document.addEventListener("click", function (event) {
    var root = event.target.closest && event.target.closest("[data-question-picker]");
    if (!root) return;
    if (event.target.closest("[data-qp-go]")) pickerSearch(root);
    var remove = event.target.closest("[data-qp-remove]");
    if (remove) pickerRemove(root, remove.closest("li"));
  });
  document.addEventListener("keydown", function (event) {
    var root = event.target.closest && event.target.closest("[data-question-picker]");
    if (root && event.key === "Enter" && event.target.matches("[data-qp-q], [data-qp-tag]")) {
      event.preventDefault();  // Enter searches instead of submitting the exam form
      pickerSearch(root);
    }
  });
  document.addEventListener("change", function (event) {
    var root = event.target.closest && event.target.closest("[data-question-picker]");
    if (root && event.target.matches("[data-qp-category], [data-qp-kind]")) pickerSearch(root);
  });

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-question-editor]"), function (root) {
      if (!root.lmsEditor) root.lmsEditor = new QuestionEditor(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
