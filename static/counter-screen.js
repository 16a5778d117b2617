// The counter screen's stream health: a visible sign while the live stream is down (htmx's sse extension keeps
// reconnecting by itself, and the server sends the whole screen again when it is back).
(() => {
  "use strict";
  const health = document.getElementById("stream-health");
  document.body.addEventListener("htmx:sseOpen", () => { health.hidden = true; });
  document.body.addEventListener("htmx:sseError", () => { health.hidden = false; });
})();
