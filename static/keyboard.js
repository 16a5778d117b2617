// On-screen keyboard for the kiosk: letters with dedicated Vietnamese keys (Ă Â Đ Ê Ô Ơ Ư) and five tone keys
// that put the tone on the word's vowel (typing another tone replaces it), a digit pad for numbers and dates, a
// lower-case layout with @ and . for e-mail; a clear key on each. The letters show the case they type.
// Dedicated keys rather than Telex: older citizens do not know Telex. Text stays NFC; the server normalises again.
(function () {
  "use strict";
  const board = document.getElementById("keyboard");
  if (!board) return;
  const labels = JSON.parse(board.dataset.labels || "{}");
  const TONES = [["\u0301", "á", "sắc"], ["\u0300", "à", "huyền"], ["\u0309", "ả", "hỏi"], ["\u0303", "ã", "ngã"], ["\u0323", "ạ", "nặng"]];
  const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
  const VOWELS = "aăâeêioôơuưy";
  const BACK = { action: "back", label: "⌫" };
  const CLEAR = { action: "clear", label: labels.clear };
  const NEXT = { action: "next", label: labels.next };
  const LAYOUTS = {
    text: [
      "1 2 3 4 5 6 7 8 9 0".split(" "),
      "Q W E R T Y U I O P".split(" "),
      "A S D F G H J K L".split(" "),
      "Z X C V B N M , . -".split(" "),
      ["Ă", "Â", "Đ", "Ê", "Ô", "Ơ", "Ư"].map((k) => ({ key: k, cls: "key-vi" })),
      TONES.map(([mark, shown, name]) => ({ tone: mark, label: shown, name: name, cls: "key-tone" })),
      [{ action: "shift", label: labels.shift }, { key: " ", label: labels.space, cls: "key-wide" },
        BACK, CLEAR, NEXT],
    ],
    digits: [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], [CLEAR, "0", BACK], [NEXT]],
  };
  LAYOUTS.email = LAYOUTS.text.slice(0, 4).concat([
    ["@", ".", "_", "-", { key: "@gmail.com", cls: "key-wide" }, { key: ".com", cls: "key-wide" }, ".vn"],
    [BACK, CLEAR, NEXT]]);
  LAYOUTS.tel = LAYOUTS.digits;
  LAYOUTS.date = LAYOUTS.digits;
  LAYOUTS["partial-date"] = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["/", "0", BACK], [CLEAR, NEXT]];

  let target = null;
  let upper = true;

  function keyButton(spec) {
    const item = typeof spec === "string" ? { key: spec } : spec;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "key " + (item.cls || "") + (item.action ? " key-action" : "");
    button.textContent = item.label || item.key;
    if (item.name) button.setAttribute("aria-label", item.name);
    button.dataset.key = item.key || "";
    button.dataset.tone = item.tone || "";
    button.dataset.action = item.action || "";
    return button;
  }

  // Letter keys show the case they type (CSS lower-cases them); e-mail addresses are typed in lower case.
  function setCase(isUpper) {
    upper = isUpper;
    board.classList.toggle("lower", !upper);
  }

  function show(kind) {
    board.replaceChildren();
    board.className = "keyboard " + (kind === "text" || kind === "email" ? "letters" : "digits");
    board.dataset.layout = kind;
    for (const row of LAYOUTS[kind]) {
      const line = document.createElement("div");
      line.className = "keyboard-row";
      row.forEach((spec) => line.appendChild(keyButton(spec)));
      board.appendChild(line);
    }
    setCase(kind === "text");
    board.hidden = false;
  }

  function setValue(value) {
    target.value = value.normalize("NFC");
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The tone goes on the vowel carrying a hat or horn (ơ wins in ươ), else on the first of a closing vowel pair
  // ("hoa" → "hòa", "thuy" → "thúy"), else on the last vowel; "qu" and "gi" count as consonants.
  function toneIndex(word) {
    const base = word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    const letters = [...word.normalize("NFC").toLowerCase()];
    const plain = [...base];
    const vowelAt = [];
    plain.forEach((ch, i) => {
      const skip = i > 0 && ((ch === "u" && plain[i - 1] === "q") || (ch === "i" && plain[i - 1] === "g" && i === 1 && plain.length > 2));
      if (VOWELS.includes(ch) && !skip) vowelAt.push(i);
    });
    if (!vowelAt.length) return -1;
    const marked = vowelAt.filter((i) => "ăâêôơư".includes(letters[i].normalize("NFD").replace(TONE_MARKS, "").normalize("NFC")));
    if (marked.length) return marked[marked.length - 1];
    const last = vowelAt[vowelAt.length - 1];
    const closing = last === plain.length - 1 && vowelAt.length >= 2 && vowelAt[vowelAt.length - 2] === last - 1;
    return closing ? last - 1 : last;
  }

  function addTone(mark) {
    const text = target.value.normalize("NFC");
    const start = text.search(/\S+$/);
    if (start < 0) return;
    const chars = [...text.slice(start)];
    const at = toneIndex(chars.join(""));
    if (at < 0) return;
    const bare = chars[at].normalize("NFD").replace(TONE_MARKS, "");
    chars[at] = (bare + mark).normalize("NFC");
    setValue(text.slice(0, start) + chars.join(""));
  }

  function type(key) {
    let value = target.value;
    if (target.dataset.keyboard === "date" && /^\d$/.test(key) && /^(\d{2}|\d{2}\/\d{2})$/.test(value)) value += "/";
    setValue(value + (upper ? key : key.toLowerCase()));
  }

  function nextField() {
    const inputs = [...document.querySelectorAll("#screen input[data-keyboard]")];
    const following = inputs[inputs.indexOf(target) + 1];
    if (following) following.focus();
    else if (target.form) target.form.requestSubmit(target.form.querySelector("button[value=next], button[type=submit]:last-of-type"));
  }

  board.addEventListener("pointerdown", (event) => event.preventDefault()); // keep the caret in the field
  board.addEventListener("click", (event) => {
    const button = event.target.closest("button.key");
    if (!button || !target) return;
    const { key, tone, action } = button.dataset;
    if (action === "back") setValue([...target.value].slice(0, -1).join(""));
    else if (action === "clear") setValue("");
    else if (action === "shift") setCase(!upper);
    else if (action === "next") return nextField();
    else if (tone) addTone(tone);
    else type(key);
    target.focus();
  });

  document.addEventListener("focusin", (event) => {
    const input = event.target.closest && event.target.closest("input[data-keyboard]");
    if (!input) return;
    target = input;
    show(input.dataset.keyboard);
    // The field with its error, clear of the wizard's bar (the screen's scroll-padding) and of the keyboard.
    (input.closest(".field") || input).scrollIntoView({ block: "nearest" });
  });

  // A swapped screen takes its fields with it: hide the keyboard unless the new screen has one to fill.
  document.body.addEventListener("htmx:afterSettle", () => {
    if (target && document.contains(target)) return;
    target = null;
    board.hidden = true;
    const first = document.querySelector("#screen input[data-keyboard][autofocus], #screen [aria-invalid=true]");
    if (first) first.focus();
  });
  const initial = document.querySelector("#screen input[data-keyboard][autofocus]");
  if (initial) initial.focus();

  // A USB scanner types wherever the focus is; a touch beside the field loses it. Keys typed with no field
  // focused go to the screen's first field, so a scan is never lost.
  document.addEventListener("keydown", (event) => {
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    const field = document.querySelector("#screen input[data-keyboard][autofocus]");
    if (field) field.focus();
  }, true);
})();
