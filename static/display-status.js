// The hall display's clock (in the office's time zone, whatever the PC is set to) and its stream health:
// a visible sign when the live stream is down. htmx's sse extension keeps reconnecting by itself.
(() => {
  "use strict";
  const clock = document.getElementById("clock");
  const health = document.getElementById("stream-health");
  const format = new Intl.DateTimeFormat(document.documentElement.lang || "vi", {
    timeZone: clock.dataset.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    weekday: "short", day: "2-digit", month: "2-digit",
  });

  function tick() { clock.textContent = format.format(new Date()); }
  tick();
  setInterval(tick, 1000);

  function streamIs(state) {
    document.body.dataset.stream = state;
    health.hidden = state === "up";
  }
  document.body.addEventListener("htmx:sseOpen", () => streamIs("up"));
  document.body.addEventListener("htmx:sseError", () => streamIs("down"));
})();
