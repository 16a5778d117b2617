// A button that prints the page (the declaration on A4 for the citizen to sign), without inline script.
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
