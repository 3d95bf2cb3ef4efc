// Crisis Center board: notice new incidents after each htmx refresh (highlight, banner and,
// when switched on, a short beep made with WebAudio: no sound file, nothing from the network).
(function () {
  "use strict";
  var sound = document.getElementById("sound");
  var banner = document.getElementById("new-alert");
  var KEY = "melek.crisis.sound";
  var audio = null;
  sound.checked = window.localStorage.getItem(KEY) === "1";
  sound.addEventListener("change", function () {
    window.localStorage.setItem(KEY, sound.checked ? "1" : "0");
    if (sound.checked) { beep(); }  // a click is the user gesture browsers need before sound
  });
  function newest() {
    var table = document.getElementById("incidents");
    return table ? parseInt(table.getAttribute("data-newest") || "0", 10) : 0;
  }
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.25].forEach(function (at) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = "square"; osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, audio.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.2);
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(audio.currentTime + at); osc.stop(audio.currentTime + at + 0.2);
      });
    } catch (e) { /* no audio device: the banner still shows */ }
  }
  var seen = newest();
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "board") { return; }
    var now = newest();
    if (now > seen) {
      document.querySelectorAll("#incidents tr[data-id]").forEach(function (row) {
        if (parseInt(row.getAttribute("data-id"), 10) > seen) { row.classList.add("fresh"); }
      });
      banner.hidden = false;
      document.title = "(!) Insiden baru · Crisis Center";
      if (sound.checked) { beep(); }
      seen = now;
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { document.title = "Crisis Center · Melek"; }
  });
})();
