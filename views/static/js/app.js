// Shilpkosh: optional enhancements only. Every page works the same without this file.
(function () {
  "use strict";

  // Start keyboard and screen-reader users at the error summary after a failed submit.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  // Ignore a second submit of the same form while the first is on its way (slow field
  // connections invite double taps). Buttons are not disabled: a disabled submitter drops
  // its name=value, which the language switch relies on.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.getAttribute("aria-busy") === "true") {
      e.preventDefault();
      return;
    }
    form.setAttribute("aria-busy", "true");
    setTimeout(function () { form.removeAttribute("aria-busy"); }, 10000);
  });

  // A page restored from the back/forward cache must accept submits again.
  window.addEventListener("pageshow", function () {
    var busy = document.querySelectorAll("form[aria-busy]");
    for (var i = 0; i < busy.length; i++) busy[i].removeAttribute("aria-busy");
  });
})();
