// Timers on the counter console ("since the call"): they tick in the browser from the seconds the server gave,
// so a tablet whose own clock is wrong still shows the right time.
(() => {
  "use strict";
  const startedAt = new WeakMap();

  function format(seconds) {
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-elapsed-s]").forEach((element) => {
      if (!startedAt.has(element)) startedAt.set(element, now - Number(element.dataset.elapsedS) * 1000);
      element.textContent = format(Math.max(0, Math.floor((now - startedAt.get(element)) / 1000)));
    });
  }

  tick();
  setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSettle", tick);
})();
