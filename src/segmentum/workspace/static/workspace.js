// segmentum workspace: what htmx does not do. A finding's line button puts the cursor on that line of the text.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.line[data-line]");
  var area = document.getElementById("source");
  if (!button || !area) { return; }
  var line = parseInt(button.dataset.line, 10), column = parseInt(button.dataset.column || "1", 10);
  var lines = area.value.split("\n"), start = 0;
  for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
  var end = start + (lines[line - 1] || "").length;
  area.focus();
  area.setSelectionRange(Math.min(start + column - 1, end), end);
  var height = area.scrollHeight / Math.max(lines.length, 1);
  area.scrollTop = Math.max(0, (line - 5) * height);
});
// After an accepted suggestion is saved, the editor's text becomes the saved one (and is checked again).
document.addEventListener("htmx:afterSwap", function () {
  var saved = document.getElementById("saved-source"), area = document.getElementById("source");
  if (!saved || !area) { return; }
  area.value = saved.value;
  saved.remove();
  area.dispatchEvent(new Event("input", { bubbles: true }));
});
// A field changed in the form: the answer carries the rewritten text, which becomes the text area's (already checked).
document.addEventListener("htmx:afterSwap", function () {
  var rewritten = document.getElementById("field-source"), area = document.getElementById("source");
  if (!rewritten || !area) { return; }
  area.value = rewritten.value;
  rewritten.remove();
});
// A row or an item added from its form (Enter or the button): the focus goes back to the form's first field,
// emptied, ready for the next one (htmx alone would keep it on the field that was last focused).
document.addEventListener("htmx:afterSettle", function (event) {
  var form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!form || form.tagName !== "FORM" || !form.matches("form.add-row, form.add-item")) { return; }
  var first = form.querySelector("input:not([type=hidden]), select, textarea");
  var again = first && first.id ? document.getElementById(first.id) : null;
  if (again) { again.focus(); }
});
