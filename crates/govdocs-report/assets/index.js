/* govdocs quality report: the table of documents (sorting, filtering, pages) on list.js. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("docs-data").textContent);
  var numeric = { year: 1, exp: 1, found: 1, parsed: 1, empty: 1, unparsed: 1, missing: 1, passed: 1, failed: 1, share: 1 };
  function esc(s) {
    return String(s === null || s === undefined ? "" : s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function num(v) {
    return v === null || v === undefined || v === "" ? -1 : Number(v);
  }
  // Cells carry no class named like a value: list.js would overwrite them with the raw value.
  function row(v) {
    var status = v.status === "ok"
      ? "<td class=\"d-status ok\">ok</td>"
      : "<td class=\"d-status bad\" title=\"" + esc(v.error) + "\">failed: " + esc(v.error) + "</td>";
    var cell = function (k, bad) {
      return "<td class=\"n" + (bad && v[k] > 0 ? " bad" : "") + "\">" + esc(v[k]) + "</td>";
    };
    return "<tr data-doc=\"" + esc(v.id) + "\">" +
      "<td class=\"d-source\"><a href=\"" + esc(v.href) + "\">" + esc(v.source) + "</a></td>" +
      "<td>" + esc(v.dept) + "</td><td class=\"n\">" + esc(v.year) + "</td><td>" + esc(v.kind) + "</td>" +
      status + cell("exp") + cell("found") + cell("parsed") + cell("empty") + cell("unparsed") +
      cell("missing", true) + cell("passed") + cell("failed", true) +
      "<td class=\"n d-share\">" + esc(v.shareText) + "</td>" +
      "<td class=\"d-balance " + esc(v.balance) + "\">" + esc(v.balance) + "</td></tr>";
  }
  var list = new List("documents", {
    valueNames: ["source", "dept", "year", "kind", "status", "error", "exp", "found", "parsed", "empty",
      "unparsed", "missing", "passed", "failed", "share", "balance"],
    item: row,
    page: 100,
    pagination: { innerWindow: 2, outerWindow: 1 },
    sortFunction: function (a, b, o) {
      var x = a.values()[o.valueName], y = b.values()[o.valueName];
      if (numeric[o.valueName]) {
        return num(x) - num(y);
      }
      return String(x).localeCompare(String(y));
    }
  }, data);
  var text = document.getElementById("f-text");
  var status = document.getElementById("f-status");
  var kind = document.getElementById("f-kind");
  var issue = document.getElementById("f-issue");
  var searched = ["source", "dept", "year", "kind", "status", "error"];
  // One filter for the text box and the selects (list.js 2.3.1's own search escapes `.` and `-`
  // and then finds no path or name holding them).
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var s = status.value, k = kind.value, i = issue.value;
    if (!words.length && !s && !k && !i) {
      list.filter();
      return;
    }
    list.filter(function (item) {
      var v = item.values();
      var hay = searched.map(function (c) { return String(v[c] === null ? "" : v[c]).toLowerCase(); });
      return words.every(function (w) { return hay.some(function (h) { return h.indexOf(w) !== -1; }); }) &&
        (!s || v.status === s) && (!k || v.kind === k) &&
        (!i || (i === "missing" && v.missing > 0) || (i === "failedchecks" && v.failed > 0) ||
          (i === "unbalanced" && v.balance === "fails"));
    });
  }
  text.addEventListener("input", apply);
  function shown() {
    document.getElementById("shown").textContent =
      list.matchingItems.length + " of " + list.items.length + " documents";
  }
  [status, kind, issue].forEach(function (el) { el.addEventListener("change", apply); });
  list.on("updated", shown);
  shown();
  window.govdocsDocuments = list;
})();
