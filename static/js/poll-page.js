/* A region marked data-poll-every="N" (seconds) is fetched again from this page's address every
   N seconds, until the fresh copy no longer asks for it (its state is final). Its content is
   replaced only when its data-state changes, so the same news is not read out again and again and
   the focus stays on its button. The region is aria-live: the new state is read out where the
   person is, where a timed reload of the whole page (the <noscript> meta refresh, for browsers
   without JavaScript) takes a screen reader back to the top (WCAG 2.2.1).
   Within a state, elements marked data-poll-sync (a progress bar, a count of rows) take their
   fresh value and text quietly; elements marked data-poll-hint (words true only with this
   script, such as "this page updates itself") are shown. */
(function () {
  "use strict";
  function showHints(region) {
    region.querySelectorAll("[data-poll-hint]").forEach(function (hint) { hint.hidden = false; });
  }
  function sync(region, fresh) {
    region.querySelectorAll("[data-poll-sync][id]").forEach(function (element) {
      var update = fresh.querySelector("#" + CSS.escape(element.id));
      if (!update) { return; }
      if (update.hasAttribute("value")) { element.setAttribute("value", update.getAttribute("value")); }
      if (element.textContent !== update.textContent) { element.textContent = update.textContent; }
    });
  }
  function poll(region) {
    var seconds = parseFloat(region.dataset.pollEvery);
    if (!(seconds > 0)) { return; }
    showHints(region);
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (!fresh) { return; }  // signed out, or another page: leave this one as it is
          if (fresh.dataset.state !== region.dataset.state) {
            region.replaceChildren.apply(region, Array.from(fresh.childNodes));
            region.dataset.state = fresh.dataset.state;
          } else {
            sync(region, fresh);
          }
          if (fresh.dataset.pollEvery) {
            region.dataset.pollEvery = fresh.dataset.pollEvery;
          } else {
            delete region.dataset.pollEvery;
          }
          poll(region);
        })
        .catch(function () { poll(region); });  // the network blinked: ask again later
    }, seconds * 1000);
  }
  document.querySelectorAll("[data-poll-every][id]").forEach(poll);
})();
