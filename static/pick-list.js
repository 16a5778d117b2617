// Pick lists (province, ethnic group, religion, occupation) on the kiosk and the phone: as the citizen types a few
// letters, with or without diacritics, the server's search (kiosk/domain/declarations/pick_lists.py) answers with
// buttons under the field; a tap puts the list's own spelling in. Without this script the name is typed whole and
// the check spells it the list's way. Listens on the document, so the kiosk's swapped steps need nothing more.
// The letters go in a POST's body, never in an address (a religion or an ethnic group is personal).
(function () {
  "use strict";
  const waiting = new WeakMap();
  const csrf = document.querySelector("meta[name=csrf-token]").content;

  function boxOf(input) {
    return document.getElementById(input.getAttribute("aria-controls"));
  }

  function suggest(input) {
    clearTimeout(waiting.get(input));
    waiting.set(input, setTimeout(async () => {
      try {
        const answer = await fetch(input.dataset.picks, {
          method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf },
          body: new URLSearchParams({ q: input.value }),
        });
        if (!answer.ok || document.activeElement !== input) return;
        boxOf(input).innerHTML = await answer.text(); // the server's escaped fragment, buttons only
        input.closest(".field").scrollIntoView({ block: "nearest" });
      } catch (error) {
        // Offline for a moment: the citizen types the whole name, the check spells it.
      }
    }, 120));
  }

  function pickInput(event) {
    return event.target.closest && event.target.closest("input[data-picks]");
  }

  document.addEventListener("focusin", (event) => { const input = pickInput(event); if (input) suggest(input); });
  document.addEventListener("input", (event) => { const input = pickInput(event); if (input) suggest(input); });
  document.addEventListener("focusout", (event) => {
    const input = pickInput(event);
    if (input) { clearTimeout(waiting.get(input)); boxOf(input).replaceChildren(); }
  });
  // A tap on a suggestion keeps the focus (and the keyboard) in the field.
  document.addEventListener("pointerdown", (event) => {
    if (event.target.closest && event.target.closest(".picks")) event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".picks button[data-value]");
    if (!button) return;
    const box = button.closest(".picks");
    const input = document.querySelector(`input[aria-controls="${box.id}"]`);
    input.value = button.dataset.value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    box.replaceChildren();
  });
})();
