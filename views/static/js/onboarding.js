// Onboarding board and tab: send a card's move form with fetch and move the card to its
// new column without reloading; on the board, cards can also be dragged between columns
// (the same form is sent). Without this file the form posts and the page reloads; the
// server answers JSON only when asked for it. A refused move shows the server's message.
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  var announcer = document.querySelector("[data-board-status]");

  function column(stage) {
    return document.querySelector("[data-cards='" + stage + "']");
  }

  // refresh adds by to a column's count and shows its "no artisans" line when it is empty.
  function refresh(list, by) {
    var section = list && list.closest("[data-stage]");
    if (!section) return;
    var count = section.querySelector("[data-count]");
    if (count) count.textContent = String(Number(count.textContent) + by);
    var empty = section.querySelector("[data-empty]");
    if (empty) empty.hidden = list.children.length > 0;
  }

  function optionLabel(select, value) {
    for (var i = 0; select && i < select.options.length; i++) {
      if (select.options[i].value === value) return select.options[i].text;
    }
    return value;
  }

  function announce(card, list) {
    if (!board || !announcer) return;
    var section = list.closest("[data-stage]");
    announcer.textContent = board.getAttribute("data-moved")
      .replace("{name}", card.getAttribute("data-name") || "")
      .replace("{stage}", section ? section.getAttribute("data-label") : "");
  }

  // place brings the page in line with the saved record: the form's version and stage,
  // the card's reason, and the card in the column of its stage.
  function place(form, record) {
    form.querySelector("input[name=version]").value = record.version;
    form.querySelector("select[name=stage]").value = record.stage;
    var card = form.closest("[data-card]");
    if (!card) return;
    var reason = card.querySelector("[data-card-reason]");
    if (reason) {
      reason.textContent = record.reason ? " · " + optionLabel(form.querySelector("select[name=reason]"), record.reason) : "";
    }
    var from = card.parentElement;
    var to = column(record.stage);
    if (to && to !== from) {
      to.insertBefore(card, to.firstChild);
      refresh(from, -1);
      refresh(to, 1);
      announce(card, to);
    }
  }

  // send posts form with fetch. A refusal is written to status and refused() runs; when the
  // network or the answer fails, the form is posted the plain way.
  function send(form, status, refused) {
    var card = form.closest("[data-card]");
    var cardStatus = card && card.querySelector("[data-card-status]");
    var formStatus = form.querySelector("[data-onboarding-status]");
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (resp) {
      return resp.json().then(function (data) { return { ok: resp.ok, data: data }; });
    }).then(function (r) {
      form.removeAttribute("aria-busy");
      if (cardStatus) cardStatus.textContent = "";
      if (formStatus) formStatus.textContent = "";
      if (!r.ok) {
        status.textContent = r.data.error ? r.data.error.message : "";
        if (refused) refused();
        return;
      }
      place(form, r.data);
    }).catch(function () {
      form.removeAttribute("aria-busy");
      form.submit();
    });
  }

  var forms = document.querySelectorAll("form[data-onboarding-move]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (e) {
      e.preventDefault();
      var form = e.currentTarget;
      send(form, form.querySelector("[data-onboarding-status]"));
    });
  }

  if (!board) return;

  // moveTo sends the card's form with stage chosen; a refused move leaves the form as it was.
  function moveTo(card, stage) {
    var form = card.querySelector("form[data-onboarding-move]");
    var select = form && form.querySelector("select[name=stage]");
    if (!select || card.parentElement === column(stage)) return;
    var before = select.value;
    select.value = stage;
    send(form, card.querySelector("[data-card-status]"), function () { select.value = before; });
  }

  var dragged = null;
  var controls = "details, input, select, textarea, button";
  var cards = board.querySelectorAll("[data-card]");
  for (var c = 0; c < cards.length; c++) {
    var card = cards[c];
    if (!card.querySelector("form[data-onboarding-move]")) continue; // the reader may not move it
    card.draggable = true;
    card.classList.add("is-draggable");
    // Text in the form's fields stays selectable: a drag starts only outside them.
    card.addEventListener("pointerdown", function (e) {
      e.currentTarget.draggable = !e.target.closest(controls);
    });
    card.addEventListener("dragstart", function (e) {
      dragged = e.currentTarget;
      dragged.classList.add("is-dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", dragged.getAttribute("data-name") || "");
    });
    card.addEventListener("dragend", function (e) {
      e.currentTarget.classList.remove("is-dragging");
      dragged = null;
      var targets = board.querySelectorAll(".is-drop-target");
      for (var t = 0; t < targets.length; t++) targets[t].classList.remove("is-drop-target");
    });
  }

  var sections = board.querySelectorAll("[data-stage]");
  for (var s = 0; s < sections.length; s++) {
    sections[s].addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      e.currentTarget.classList.add("is-drop-target");
    });
    sections[s].addEventListener("dragleave", function (e) {
      if (!e.currentTarget.contains(e.relatedTarget)) e.currentTarget.classList.remove("is-drop-target");
    });
    sections[s].addEventListener("drop", function (e) {
      e.preventDefault();
      e.currentTarget.classList.remove("is-drop-target");
      if (dragged) moveTo(dragged, e.currentTarget.getAttribute("data-stage"));
    });
  }
})();
