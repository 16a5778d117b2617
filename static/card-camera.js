// The phone's camera reads the chip ID card's QR live, where the browser has BarcodeDetector (Chrome on Android):
// the line goes into the form as card_line and the form is sent as "Read the card", checked on the server like a
// photo. Elsewhere this part stays hidden and the photo upload, decoded on the office's server, does the job.
(function () {
  "use strict";
  const part = document.querySelector("[data-card-camera]");
  if (!part || !("BarcodeDetector" in window) || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
  const video = part.querySelector("video");
  const form = part.closest("form");
  let detector = null;

  async function watch(stream) {
    const found = await detector.detect(video).catch(() => []);
    const line = found.length ? found[0].rawValue : "";
    if (!line) { setTimeout(() => watch(stream), 200); return; }
    stream.getTracks().forEach((track) => track.stop());
    part.querySelector("input[name=card_line]").value = line;
    form.requestSubmit(form.querySelector("button[value=card]"));
  }

  part.querySelector("[data-camera-start]").addEventListener("click", async () => {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.hidden = false;
      part.querySelector("[data-camera-hint]").hidden = false;
      await video.play();
      watch(stream);
    } catch (error) {
      part.hidden = true; // no camera, or refused: the photo upload stays
    }
  });
  BarcodeDetector.getSupportedFormats().then((formats) => { part.hidden = !formats.includes("qr_code"); });
})();
