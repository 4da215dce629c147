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

  // Artisan form: offer only the organisations of the district chosen (the server checks
  // it anyway; without this file every organisation in the user's districts is listed).
  var district = document.querySelector("form[method=post] #f-district");
  var org = district && district.form.querySelector("#f-organisation_id");
  function offerOrganisations() {
    var opts = org.querySelectorAll("option[data-district]");
    for (var i = 0; i < opts.length; i++) {
      var off = district.value !== "" && opts[i].getAttribute("data-district") !== district.value;
      opts[i].hidden = opts[i].disabled = off;
      if (off && opts[i].selected) org.value = "";
    }
    var groups = org.querySelectorAll("optgroup");
    for (var j = 0; j < groups.length; j++) groups[j].hidden = !groups[j].querySelector("option:not([hidden])");
  }
  if (org) {
    district.addEventListener("change", offerOrganisations);
    offerOrganisations();
  }

  // A page restored from the back/forward cache must accept submits again.
  window.addEventListener("pageshow", function () {
    var busy = document.querySelectorAll("form[aria-busy]");
    for (var i = 0; i < busy.length; i++) busy[i].removeAttribute("aria-busy");
  });
})();
