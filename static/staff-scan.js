// The scan field: a USB scanner types the ticket's QR address like a keyboard, so a key pressed while no field
// has the focus is sent to the scan field; where the browser reads QR codes itself (BarcodeDetector), a camera
// button appears and fills the field from the tablet's camera.
(() => {
  "use strict";
  const SCAN_FOR_MS = 30000;
  const EVERY_MS = 250;

  document.addEventListener("keydown", (event) => {
    const field = document.getElementById("scan-field");
    const active = document.activeElement;
    if (!field || event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (active && active.matches("input, select, textarea, summary")) return;
    field.focus(); // the key itself then lands in the field
  });

  // Chromium has BarcodeDetector on Linux too, but reads nothing there: ask which formats it really reads.
  const cameraReads = ("BarcodeDetector" in window && navigator.mediaDevices)
    ? window.BarcodeDetector.getSupportedFormats().then((formats) => formats.includes("qr_code"), () => false)
    : Promise.resolve(false);

  function offerCamera() {
    cameraReads.then((ready) => {
      document.querySelectorAll("[data-camera]").forEach((button) => { button.hidden = !ready; });
    });
  }

  async function scanWithCamera(button) {
    const form = button.closest("form");
    const video = form.querySelector("video");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      button.hidden = true; // no camera, or not allowed: the field still works
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const stop = () => { stream.getTracks().forEach((track) => track.stop()); video.hidden = true; };
    const until = Date.now() + SCAN_FOR_MS;
    while (Date.now() < until && document.contains(video)) {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length) {
        stop();
        form.querySelector("[name=q]").value = codes[0].rawValue;
        form.requestSubmit();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
    stop();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-camera]");
    if (button) scanWithCamera(button);
  });
  offerCamera();
  document.body.addEventListener("htmx:afterSwap", offerCamera);
})();
