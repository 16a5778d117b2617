// "Out of service" while the kiosk cannot reach the server; it hides again by itself once the health poll answers.
(function () {
  "use strict";
  const offline = document.getElementById("offline");
  if (!offline) return;
  document.body.addEventListener("htmx:sendError", () => { offline.hidden = false; });
  document.body.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr.status >= 500) offline.hidden = false;
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) offline.hidden = true;
  });
})();
