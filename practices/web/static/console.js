// Progressive enhancement only: every action of the console is a plain form that works without
// this file. It grows text areas with their text, and warns before leaving a page whose edit
// form has unsaved changes.
(function () {
  "use strict";
  function grow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 4 + "px";
  }
  document.querySelectorAll(".edit-form textarea").forEach(function (area) {
    grow(area);
    area.addEventListener("input", function () { grow(area); });
  });
  var form = document.querySelector(".edit-form");
  if (!form) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
}());
