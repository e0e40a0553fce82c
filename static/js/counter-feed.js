// The board's live feed: every few seconds, ask for the day's new orders and show them at the top,
// with the header's count; a gentle sound and a notification once the shopkeeper opts in.
(function () {
  var section = document.querySelector("[data-feed]");
  if (!section || !window.fetch) return;
  var list = section.querySelector("ul");
  var status = section.querySelector("[data-feed-status]");
  var alertsButton = document.querySelector("[data-alerts]");
  var audio = null;
  var EVERY_MS = 2000; // a new order shows within a few seconds; the answer is small

  function knownIds() {
    return Array.prototype.map.call(document.querySelectorAll("[data-order-id]"), function (card) {
      return card.getAttribute("data-order-id");
    });
  }

  function chime() {
    if (!audio) return;
    // Two soft notes, generated: no sound file to download.
    [660, 880].forEach(function (frequency, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + i * 0.18;
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.32);
    });
  }

  function notify(message) {
    if (window.Notification && Notification.permission === "granted" && document.hidden) {
      new Notification(message);
    }
  }

  function show(data) {
    var count = document.querySelector("[data-orders-count]");
    if (count) count.textContent = data.to_prepare_label;
    if (!data.orders.length) return;
    data.orders.forEach(function (order) {
      var holder = document.createElement("ul");
      holder.innerHTML = order.html; // rendered and escaped by the server's template
      list.prepend(holder.firstElementChild);
    });
    section.hidden = false;
    status.textContent = data.message;
    chime();
    notify(data.message);
  }

  function poll() {
    var url = section.getAttribute("data-feed") + "&known=" + knownIds().join(",");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data); })
      .catch(function () { /* offline a moment: the next round tries again */ })
      .then(function () { window.setTimeout(poll, EVERY_MS); });
  }

  if (alertsButton && (window.AudioContext || window.Notification)) {
    alertsButton.hidden = false;
    alertsButton.addEventListener("click", function () {
      if (window.AudioContext && !audio) audio = new AudioContext();
      if (audio) { audio.resume(); chime(); }
      if (window.Notification && Notification.permission === "default") Notification.requestPermission();
      alertsButton.setAttribute("aria-pressed", "true");
    });
  }
  window.setTimeout(poll, EVERY_MS);
})();
