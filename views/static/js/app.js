// Shilpkosh: optional enhancements only. Every page works the same without this file.
(function () {
  "use strict";

  // Start keyboard and screen-reader users at the error summary after a failed submit.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  // Ignore a second submit of the same form while the first is on its way (slow field
  // connections invite double taps). Buttons are not disabled: a disabled submitter drops
  // its name=value, which the language switch relies on.
  // A destructive button (data-confirm) asks first; without this file it submits at once
  // and the server's checks still hold.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var ask = e.submitter && e.submitter.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) {
      e.preventDefault();
      return;
    }
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

  // Menu sections: one open at a time; Escape or a click elsewhere closes it.
  var menus = document.querySelectorAll(".nav-menu");
  function closeMenus(except) {
    for (var i = 0; i < menus.length; i++) if (menus[i] !== except) menus[i].open = false;
  }
  for (var m = 0; m < menus.length; m++) {
    menus[m].addEventListener("toggle", function (e) { if (e.target.open) closeMenus(e.target); });
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest(".nav-menu")) closeMenus(null);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector(".nav-menu[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  // A page restored from the back/forward cache must accept submits again.
  window.addEventListener("pageshow", function () {
    var busy = document.querySelectorAll("form[aria-busy]");
    for (var i = 0; i < busy.length; i++) busy[i].removeAttribute("aria-busy");
  });
})();
