// Tables: the indicator pages' tables sort (build_corpus/indicators.py wraps them in
// <div class="sortable-table">): each column header becomes a button, and aria-sort tells a screen
// reader the order. A table too wide for a phone scrolls in Material's wrapper, which then takes
// keyboard focus so it can be scrolled without a mouse. Plain script, no library: works from
// file:// in the offline bundle.
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : "";
    var number = parseFloat(text.replace(/[^\d.\-]+.*$/, ""));
    return { text: text, number: /^-?\d/.test(text) && !isNaN(number) ? number : null };
  }
  function compare(a, b) {
    if (a.number !== null && b.number !== null) return a.number - b.number;
    if (a.number !== null) return -1;
    if (b.number !== null) return 1;
    return a.text.localeCompare(b.text, "zh-Hans-CN");
  }
  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(cellValue(r1, index), cellValue(r2, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function enhance(table) {
    if (!table.tHead || !table.tBodies.length || table.dataset.sortable) return;
    table.dataset.sortable = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.title = "按此列排序";
      button.addEventListener("click", function () { sortBy(table, index, th); });
      th.appendChild(button);
    });
  }
  function focusableWhenScrolling(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.tabIndex = 0;
    else wrap.removeAttribute("tabindex");
  }
  function run() {
    Array.prototype.forEach.call(document.querySelectorAll(".sortable-table table"), enhance);
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    Array.prototype.forEach.call(wraps, focusableWhenScrolling);
    window.addEventListener("resize", function () { Array.prototype.forEach.call(wraps, focusableWhenScrolling); });
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
