/* Skills profile pages: "Why?" toggles its breakdown row; "tick all" in the validation queue.
   Everything works without JavaScript too (links and plain forms). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var hide = event.target.closest("[data-hide-why]");
    if (hide) {
      var cell = hide.closest(".why-cell");
      if (cell) {
        var link = document.querySelector('[aria-controls="' + cell.id + '"]');
        cell.innerHTML = "";
        if (link) {
          link.setAttribute("aria-expanded", "false");
          link.focus();
        }
      }
      return;
    }
    var why = event.target.closest("[data-why]");
    if (why) {
      var target = document.getElementById("why-" + why.getAttribute("data-why"));
      // A second click on an open "Why?" closes it instead of loading it again.
      if (target && target.innerHTML.trim() !== "" && why.getAttribute("aria-expanded") === "true") {
        event.preventDefault();
        event.stopImmediatePropagation();
        target.innerHTML = "";
        why.setAttribute("aria-expanded", "false");
      }
    }
  }, true);

  document.addEventListener("htmx:afterSwap", function (event) {
    var cell = event.detail.target;
    if (cell && cell.classList && cell.classList.contains("why-cell")) {
      var link = document.querySelector('[aria-controls="' + cell.id + '"]');
      if (link) {
        link.setAttribute("aria-expanded", "true");
      }
    }
  });

  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) {
      return;
    }
    var name = all.getAttribute("data-select-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
