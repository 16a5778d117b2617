// Privacy on a shared kiosk: after a while without a touch, a full-screen "Are you still there?" with a beep and a
// countdown; Continue keeps everything, the end of the countdown wipes the session and its draft (WCAG 2.2.1).
(function () {
  "use strict";
  const kiosk = document.getElementById("kiosk");
  if (!kiosk || kiosk.dataset.idle === "off") return;
  const warnAfterMs = Number(kiosk.dataset.idleWarningS) * 1000;
  const countdownS = Number(kiosk.dataset.idleCountdownS);
  const overlay = document.getElementById("idle-overlay");
  const seconds = document.getElementById("idle-seconds");
  let idleTimer = null;
  let tick = null;
  let left = countdownS;

  function beep() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.3;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.35);
      tone.onended = () => audio.close();
    } catch (error) { /* no sound device: the screen still says it */ }
  }

  function arm() {
    if (!overlay.hidden) return; // only Continue ends the warning, not a stray touch beside it
    clearTimeout(idleTimer);
    idleTimer = setTimeout(warn, warnAfterMs);
  }

  function warn() {
    left = countdownS;
    seconds.textContent = left;
    overlay.hidden = false;
    document.getElementById("idle-continue").focus();
    beep();
    tick = setInterval(() => {
      left -= 1;
      seconds.textContent = Math.max(left, 0);
      if (left === 10) beep();
      if (left <= 0) wipe();
    }, 1000);
  }

  function wipe() {
    clearInterval(tick);
    const token = document.querySelector("meta[name=csrf-token]").content;
    // The welcome page wipes too, so the citizen's data goes even if this request is lost.
    fetch(kiosk.dataset.wipeUrl, { method: "POST", headers: { "X-CSRFToken": token } })
      .finally(() => window.location.assign(kiosk.dataset.homeUrl));
  }

  document.getElementById("idle-continue").addEventListener("click", () => {
    clearInterval(tick);
    overlay.hidden = true;
    arm();
  });
  ["pointerdown", "keydown", "touchstart"].forEach((name) => document.addEventListener(name, arm, true));
  arm();
})();
