// The hall display's announcement queue: every call spoken once, in order, never cut off by the next one.
// Calls arrive as <li> items in #announcements (server-rendered, from the stream). Each item's data-state
// says where it is: queued → playing → played, or skipped (too old / announced before), dropped (its ticket was
// settled or called again before its turn), blocked, failed.
// When calls bunch (every counter calls at the start of the day), the backlog drains fast: one chime for the lot,
// then each call in its brief form ("A001, counter 1") back to back; a call on its own keeps the full sentence.
// #announcements[data-played] lists the event ids played, in order: what the tests (and a curious admin) read.
(() => {
  "use strict";
  const log = document.getElementById("announcements");
  const blockedWarning = document.getElementById("sound-blocked");
  if (!log) return;
  const STORE = "display.lastAnnouncedEventId";
  const KEEP_ITEMS = 30; // finished items kept in the log; the rest are removed so a day does not pile up
  const maxAgeS = Number(log.dataset.maxAgeS || 120);
  const GATHER_MS = 600; // calls pressed together arrive within this: waiting for them saves a chime each
  const seen = new Set();
  const queue = [];
  let lastAnnounced = Number(localStorage.getItem(STORE) || 0);
  let busy = false;
  let running = false; // announcing back to back: a call waited while the previous one was said

  function remember(id) {
    // Survives a reload or a reboot of the display PC, so a reconnect's snapshot never repeats a call.
    lastAnnounced = Math.max(lastAnnounced, id);
    localStorage.setItem(STORE, String(lastAnnounced));
  }

  function ageS(item) {
    return Number(item.dataset.ageS || 0) + (performance.now() - item.receivedAt) / 1000;
  }

  function drop(ticket, beforeId) {
    // A call not yet said whose ticket reached the counter, was finished or left, or was called again.
    for (const waiting of queue.filter((q) => q.dataset.ticket === ticket && Number(q.dataset.eventId) < beforeId)) {
      queue.splice(queue.indexOf(waiting), 1);
      waiting.dataset.state = "dropped";
      remember(Number(waiting.dataset.eventId));
    }
  }

  function accept(item) {
    const id = Number(item.dataset.eventId);
    if (item.dataset.settled !== undefined) { drop(item.dataset.settled, id); item.remove(); return; }
    if (seen.has(id)) { item.remove(); return; } // sent again in a reconnect's snapshot
    seen.add(id);
    item.receivedAt = performance.now();
    if (id <= lastAnnounced) { item.dataset.state = "skipped"; return; }
    drop(item.dataset.ticket, id); // a recall is announced in place of the call still waiting
    item.dataset.state = "queued";
    queue.push(item);
    queue.sort((a, b) => Number(a.dataset.eventId) - Number(b.dataset.eventId));
    next();
  }

  async function next() {
    if (busy || queue.length === 0) return;
    busy = true;
    if (!running) await wait(GATHER_MS);
    const item = queue.shift();
    if (!item) { busy = false; return; } // dropped while gathering
    const id = Number(item.dataset.eventId);
    if (ageS(item) > maxAgeS) {
      item.dataset.state = "skipped"; // missed while away, and too old to call out now: shown only
    } else {
      const delivery = running ? "next" : queue.length > 0 ? "first" : "alone";
      running = true;
      item.dataset.delivery = delivery;
      item.dataset.state = "playing";
      item.dataset.startedAt = performance.now().toFixed(0); // start and end: proof that none cut another off
      item.dataset.state = await announce(item, delivery);
      item.dataset.endedAt = performance.now().toFixed(0);
      log.dataset.played = (log.dataset.played + " " + id).trim();
    }
    remember(id);
    trim();
    running = running && queue.length > 0;
    busy = false;
    next();
  }

  function wait(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function announce(item, delivery) {
    const lines = [...item.querySelectorAll("[data-say]")];
    let spoken = true;
    if (item.dataset.audio) {
      const outcome = await playUntilAllowed(item, `${item.dataset.audio}?delivery=${delivery}`);
      if (outcome === "late") return "skipped";
      if (outcome === "failed") {
        // The server could not make the sound: the browser's own voice says every line, if it has one.
        lines.forEach((line) => line.setAttribute("data-by-browser", ""));
      }
    }
    for (const line of lines.filter((l) => l.hasAttribute("data-by-browser"))) {
      spoken = (await speak(line)) && spoken;
    }
    return spoken ? "played" : "failed";
  }

  async function playUntilAllowed(item, url) {
    for (;;) {
      try {
        await play(url);
        blockedWarning.hidden = true;
        return "played";
      } catch (error) {
        if (error.name !== "NotAllowedError") return "failed";
        item.dataset.state = "blocked";
        blockedWarning.hidden = false;
        await gestureOrTimeout(10000);
        if (ageS(item) > maxAgeS) return "late"; // blocked for so long that calling it out would mislead
        item.dataset.state = "playing";
      }
    }
  }

  function play(url) {
    return new Promise((resolve, reject) => {
      const audio = new Audio(url);
      audio.playbackRate = Number(log.dataset.playbackRate || 1);
      // A stalled file must not hold the hall's queue for ever.
      const guard = setTimeout(() => reject(new Error("stalled")), 60000 / audio.playbackRate);
      audio.addEventListener("ended", () => { clearTimeout(guard); resolve(); }, { once: true });
      audio.addEventListener("error", () => { clearTimeout(guard); reject(new Error("audio error")); }, { once: true });
      audio.play().catch((error) => { clearTimeout(guard); reject(error); });
    });
  }

  function speak(line) {
    return new Promise((resolve) => {
      if (!("speechSynthesis" in window) || speechSynthesis.getVoices().length === 0) { resolve(false); return; }
      const utterance = new SpeechSynthesisUtterance(line.dataset.say);
      utterance.lang = line.lang;
      utterance.onend = () => resolve(true);
      utterance.onerror = () => resolve(false);
      speechSynthesis.speak(utterance);
    });
  }

  function gestureOrTimeout(ms) {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); document.removeEventListener("pointerdown", done); resolve(); };
      const timer = setTimeout(done, ms);
      document.addEventListener("pointerdown", done, { once: true });
    });
  }

  function trim() {
    const finished = [...log.children].filter((li) => ["played", "skipped", "dropped", "failed"].includes(li.dataset.state));
    finished.slice(0, Math.max(0, finished.length - KEEP_ITEMS)).forEach((li) => li.remove());
  }

  new MutationObserver((changes) => {
    for (const change of changes) {
      change.addedNodes.forEach((node) => { if (node.nodeName === "LI") accept(node); });
    }
  }).observe(log, { childList: true });
  [...log.children].forEach(accept);
})();
