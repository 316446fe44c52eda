// The rule editor's live check: as the desk types, the file is checked with the whole rule set
// and its rules tried on the last 24 h of items; the server renders the results. Without
// JavaScript the "Check and try" button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var text = document.getElementById("text");
  var results = document.getElementById("results");
  if (!form || !text || !results || !window.fetch) { return; }
  var timer = null;
  var sent = 0;
  function check() {
    var body = new URLSearchParams();
    body.set("csrf", form.elements.csrf.value);
    body.set("file", form.elements.file.value);
    body.set("text", text.value);
    var mine = ++sent;
    results.setAttribute("aria-busy", "true");
    fetch(form.dataset.check, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { if (mine === sent) { results.innerHTML = html; results.removeAttribute("aria-busy"); } })
      .catch(function () { results.removeAttribute("aria-busy"); });
  }
  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  // An error's file:line:col puts the cursor there.
  results.addEventListener("click", function (e) {
    var item = e.target.closest && e.target.closest(".diagnostic");
    if (!item || !e.target.classList.contains("at")) { return; }
    e.preventDefault();
    var lines = text.value.split("\n");
    var line = parseInt(item.dataset.line, 10) - 1, col = parseInt(item.dataset.col, 10) - 1;
    var pos = 0;
    for (var i = 0; i < line && i < lines.length; i++) { pos += lines[i].length + 1; }
    text.focus();
    text.setSelectionRange(pos + col, pos + col + 1);
  });
}());
