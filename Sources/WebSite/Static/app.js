// MathFarm: progressive enhancement only. Every page works without this file; with it, math
// is typeset by KaTeX, the problem form previews its input as you type (GET /api/v1/preview,
// free), pending solutions and deposits update themselves, and "copy LaTeX" works.
(function () {
  "use strict";

  function renderMath(root) {
    var nodes = (root || document).querySelectorAll(".math[data-tex]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i], tex = el.getAttribute("data-tex");
      if (!tex) { el.textContent = el.getAttribute("data-text") || ""; continue; }
      if (window.katex) {
        try {
          window.katex.render(tex, el, { displayMode: true, throwOnError: false });
          el.classList.add("rendered");
          continue;
        } catch (e) { /* fall through to the plain text */ }
      }
      el.textContent = el.getAttribute("data-text") || tex;
    }
  }

  function showMath(el, tex, text) {
    el.setAttribute("data-tex", tex || "");
    el.setAttribute("data-text", text || "");
    el.classList.remove("rendered");
    el.textContent = "";
    renderMath(el.parentNode);
  }

  function setupPreview(form) {
    var url = form.getAttribute("data-preview");
    var out = document.getElementById("preview-math");
    var status = document.getElementById("preview-status");
    if (!url || !out || !status || !window.fetch) return;
    var timer = null, seq = 0;

    function params() {
      var data = new FormData(form), query = new URLSearchParams();
      query.set("problem", form.getAttribute("data-problem"));
      query.set("lang", form.getAttribute("data-lang"));
      data.forEach(function (value, key) {
        if (key !== "csrf" && key !== "submission" && key !== "action" && typeof value === "string") query.append(key, value);
      });
      return query;
    }

    function suggestion(field, text) {
      var p = document.createElement("p"), a = document.createElement("button");
      p.className = "suggest";
      p.appendChild(document.createTextNode((form.getAttribute("data-did-you-mean") || "?") + " "));
      a.type = "button"; a.className = "link"; a.textContent = text;
      a.addEventListener("click", function () { fill(field, text); });
      p.appendChild(a);
      return p;
    }

    function fill(field, text) {
      var input = form.elements.namedItem(field);
      if (input && "value" in input) { input.value = text; input.focus(); }
      schedule(0);
    }

    function run() {
      var mine = ++seq, query = params().toString();
      // The preview reads at most 2,000 characters a field from a URL; a longer input (a big
      // linear system) is checked when it is submitted.
      if (query.length > 12000) { showMath(out, "", ""); status.textContent = form.getAttribute("data-too-long") || ""; return; }
      fetch(url + "?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
        .then(function (result) {
          if (mine !== seq) return;
          status.textContent = "";
          if (result.ok) {
            showMath(out, result.body.latex, result.body.text);
            status.textContent = result.body.message || "";
          } else {
            var error = result.body.error || {}, details = error.details || {};
            showMath(out, "", "");
            status.textContent = error.message || "";
            if (details.did_you_mean) status.appendChild(suggestion(details.field, details.did_you_mean));
          }
        })
        .catch(function () { /* offline: the server checks again on submit */ });
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    }

    form.addEventListener("input", function () { schedule(350); });
    form.addEventListener("change", function () { schedule(0); });
    var previewButton = document.getElementById("preview-button");
    if (previewButton) previewButton.hidden = true;  // the live preview replaces the round trip
  }

  function setupPolling(el) {
    var url = el.getAttribute("data-poll");
    if (!url || !window.fetch) return;
    function poll() {
      fetch(url + "?wait=10", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (body.terminal) { window.location.reload(); } else { setTimeout(poll, 250); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  function setupCopy(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy") || "", label = button.textContent;
      var done = function () { button.textContent = "✓ " + label; setTimeout(function () { button.textContent = label; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {});
      }
    });
  }

  function setupSuggestLinks() {
    var links = document.querySelectorAll("a[data-fill]");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (event) {
        var form = document.getElementById("solve-form");
        var input = form && form.elements.namedItem(this.getAttribute("data-fill"));
        if (!input) return;
        event.preventDefault();
        input.value = this.getAttribute("data-value");
        input.focus();
        form.dispatchEvent(new Event("change"));
      });
    }
  }

  // One submission per form: a double click must not pay twice (the server also dedupes).
  function guardSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
    });
  }

  function start() {
    renderMath(document);
    var form = document.getElementById("solve-form");
    if (form) setupPreview(form);
    var polls = document.querySelectorAll("[data-poll]");
    for (var i = 0; i < polls.length; i++) setupPolling(polls[i]);
    var copies = document.querySelectorAll("button[data-copy]");
    for (var j = 0; j < copies.length; j++) setupCopy(copies[j]);
    setupSuggestLinks();
    var forms = document.querySelectorAll("form[method=post]");
    for (var k = 0; k < forms.length; k++) guardSubmit(forms[k]);
  }

  window.addEventListener("pageshow", function () {
    var sent = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < sent.length; i++) sent[i].removeAttribute("data-sent");
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
