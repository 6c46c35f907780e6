/* The path builder: show only the fields the chosen kind of path uses, and after an HTMX
   preview move the focus to its result (or to the errors) so keyboard and screen-reader users
   land on what changed. Without JavaScript every field shows and the form still works. */
(function () {
  "use strict";

  function syncModes(root) {
    var form = root.querySelector ? root.querySelector("#path-form") : null;
    if (!form) { return; }
    var checked = form.querySelector('input[name="mode"]:checked');
    var mode = checked ? checked.value : "";
    form.querySelectorAll("[data-modes]").forEach(function (section) {
      var modes = section.getAttribute("data-modes").split(" ");
      section.hidden = modes.indexOf(mode) === -1;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "mode") { syncModes(document); }
  });

  document.addEventListener("htmx:afterSwap", function () {
    syncModes(document);
    var target = document.getElementById("builder-errors") || document.getElementById("preview-title");
    if (target) { target.focus(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { syncModes(document); });
  } else {
    syncModes(document);
  }
})();
