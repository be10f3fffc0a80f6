"""The report's only script: search and sort of its tables, added on top of a page that reads and prints without it.

A table with ``class="sortable"`` gets a button in each column heading (``aria-sort`` says the order); a cell's
``data-sort`` attribute, where present, is its sort key (a predikat's rank), else its text (numbers compared as
numbers, empty cells last). A table with a ``data-search`` attribute (the label of the search field) gets a search
field above it that hides the rows not containing the text typed, and says how many are shown
(``data-status``: the sentence, with ``{shown}`` and ``{total}``). Nothing is fetched and nothing is stored.
"""

from __future__ import annotations

__all__ = ["SCRIPT"]

SCRIPT = r"""
(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function sortKey(cell) {
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent.trim(); }
    if (v === "") { return [2, 0]; }
    var n = Number(v);
    return isNaN(n) ? [1, v.toLowerCase()] : [0, n];
  }
  function compare(x, y) {
    if (x[0] !== y[0]) { return x[0] - y[0]; }
    if (x[1] < y[1]) { return -1; }
    return x[1] > y[1] ? 1 : 0;
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    each(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.map.call(body.rows, function (row, i) {
          return { row: row, key: sortKey(row.cells[col]), i: i };
        });
        rows.sort(function (a, b) {
          var c = compare(a.key, b.key);
          if (c !== 0 && a.key[0] !== 2 && b.key[0] !== 2) { c = ascending ? c : -c; }
          return c !== 0 ? c : a.i - b.i;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (x) { fragment.appendChild(x.row); });
        body.appendChild(fragment);
      });
    });
  });
  each(document.querySelectorAll("table[data-search]"), function (table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var box = document.createElement("div");
    box.className = "search";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = table.id + "-search";
    input.placeholder = table.getAttribute("data-placeholder") || "";
    input.setAttribute("aria-controls", table.id);
    label.htmlFor = input.id;
    label.textContent = table.getAttribute("data-search");
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "muted";
    var sentence = table.getAttribute("data-status") || "{shown} / {total}";
    var visible = rows.map(function () { return true; });
    function update() {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row, i) {
        var hit = query === "" || texts[i].indexOf(query) !== -1;
        if (hit !== visible[i]) { row.hidden = !hit; visible[i] = hit; }
        if (hit) { shown += 1; }
      });
      status.textContent = sentence.replace("{shown}", shown).replace("{total}", rows.length);
    }
    input.addEventListener("input", update);
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    var anchor = table.closest(".table-wrap") || table;
    anchor.parentNode.insertBefore(box, anchor);
    update();
  });
})();
""".strip()
