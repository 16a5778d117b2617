// The hall display's clock (in the office's time zone, whatever the PC is set to) and its stream health:
// a visible sign when the live stream is down. htmx's sse extension keeps reconnecting by itself.
// The date is the server's, in the language's own words; when the office's day turns, the page reloads for the
// new one (the day is compared with the one this page started on, so a PC with a wrong date reloads once, at
// its own midnight, never in a loop).
(() => {
  "use strict";
  const clock = document.getElementById("clock");
  const time = clock.querySelector(".clock-time");
  const health = document.getElementById("stream-health");
  const zone = { timeZone: clock.dataset.timezone };
  const hours = new Intl.DateTimeFormat("en-GB", { ...zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const day = new Intl.DateTimeFormat("en-CA", { ...zone, year: "numeric", month: "2-digit", day: "2-digit" });
  const startedOn = day.format(new Date());

  function tick() {
    const now = new Date();
    // Only while the server answers: a reload into an unreachable server would leave Chromium's error page.
    if (day.format(now) !== startedOn && document.body.dataset.stream === "up") window.location.reload();
    time.textContent = hours.format(now);
  }
  tick();
  setInterval(tick, 1000);

  function streamIs(state) {
    document.body.dataset.stream = state;
    health.hidden = state === "up";
  }
  document.body.addEventListener("htmx:sseOpen", () => streamIs("up"));
  document.body.addEventListener("htmx:sseError", () => streamIs("down"));
})();
