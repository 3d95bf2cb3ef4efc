/* GSM-7 / UCS-2 SMS counter: a port of menus/gsm7.py (to_gsm7 and sms_parts), so the
   broadcast form counts characters and SMS parts by the server's rules. The three tables are
   copies of the Python ones; tests/test_console_gsm7.py checks they stay equal, and the
   end-to-end tests compare results with the server's on sample strings. */
(function () {
  "use strict";
  var BASIC = "@\u00a3$\u00a5\u00e8\u00e9\u00f9\u00ec\u00f2\u00c7\n\u00d8\u00f8\r\u00c5\u00e5\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u00c6\u00e6\u00df\u00c9 !\"#\u00a4%&'()*+,-./0123456789:;<=>?\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00c4\u00d6\u00d1\u00dc\u00a7\u00bfabcdefghijklmnopqrstuvwxyz\u00e4\u00f6\u00f1\u00fc\u00e0";
  var EXTENDED = "^{}\\[~]|\u20ac\f";
  var TRANSLITERATE = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": "\"", "”": "\"", "„": "\"", "«": "\"", "»": "\"", "–": "-", "—": "-", "‒": "-", "−": "-", "…": "...", "•": "*", "·": ".", "°": " derajat", "²": "2", "³": "3", "½": "1/2", "×": "x", " ": " ", "\t": " ", "​": "", "á": "a", "â": "a", "ã": "a", "ä": "ä", "í": "i", "î": "i", "ï": "i", "ó": "o", "ô": "o", "õ": "o", "ú": "u", "û": "u", "ê": "e", "ë": "e", "ç": "c", "Á": "A", "Â": "A", "Í": "I", "Ó": "O", "Ú": "U", "Ê": "E", "È": "E", "Ë": "E", "ñ": "ñ", "ý": "y", "ÿ": "y"};
  var GSM7 = new Set(Array.from(BASIC + EXTENDED));

  function unmarked(ch) {
    // The character without its combining marks, if that is GSM-7 (else "").
    var base = ch.normalize("NFD").replace(/\p{M}/gu, "");
    return base && Array.from(base).every(function (c) { return GSM7.has(c); }) ? base : "";
  }

  function toGsm7(text, replacement) {
    replacement = replacement === undefined ? "?" : replacement;
    var out = "";
    Array.from(text).forEach(function (ch) {
      if (GSM7.has(ch)) out += ch;
      else if (Object.prototype.hasOwnProperty.call(TRANSLITERATE, ch)) out += TRANSLITERATE[ch];
      else out += unmarked(ch) || replacement;
    });
    return out;
  }

  function isGsm7(text) {
    return Array.from(text).every(function (ch) { return GSM7.has(ch); });
  }

  function septets(text) {
    return Array.from(text).reduce(function (n, ch) { return n + (EXTENDED.indexOf(ch) >= 0 ? 2 : 1); }, 0);
  }

  function smsParts(text) {
    // [encoding, parts]: GSM-7 160/153 septets per part, UCS-2 70/67 UTF-16 units.
    if (isGsm7(text)) {
      var n = septets(text);
      return ["GSM-7", n <= 160 ? 1 : Math.ceil(n / 153)];
    }
    var units = text.length;
    return ["UCS-2", units <= 70 ? 1 : Math.ceil(units / 67)];
  }

  function replaced(text) {
    // The characters that have no GSM-7 equivalent (they become "?").
    var seen = [];
    Array.from(text).forEach(function (ch) {
      if (!GSM7.has(ch) && !Object.prototype.hasOwnProperty.call(TRANSLITERATE, ch) && !unmarked(ch) && seen.indexOf(ch) < 0) seen.push(ch);
    });
    return seen;
  }

  window.melekGsm7 = { toGsm7: toGsm7, smsParts: smsParts, septets: septets, isGsm7: isGsm7, replaced: replaced };

  function attach(area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    var limit = parseInt(area.getAttribute("data-limit") || "459", 10);
    function update() {
      var sent = toGsm7(area.value.trim());
      var result = smsParts(sent);
      var bad = replaced(area.value);
      var text = Array.from(sent).length + " karakter \u00b7 " + result[1] + " SMS (" + result[0] + ")";
      if (sent.length > limit) text += " \u00b7 terlalu panjang: maks. " + limit + " karakter (3 SMS)";
      if (bad.length) text += " \u00b7 tidak ada di GSM-7, menjadi \"?\": " + bad.join(" ");
      out.textContent = text;
      out.classList.toggle("warn", sent.length > limit || bad.length > 0);
    }
    area.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-counter]").forEach(attach);
  });
})();
