/* A region marked data-poll-every="N" (seconds) is fetched again from this page's address every
   N seconds, until the fresh copy no longer asks for it (its state is final). Its content is
   replaced only when its data-state changes, so the same news is not read out again and again and
   the focus stays on its button. The region is aria-live: the new state is read out where the
   person is, where a timed reload of the whole page (the <noscript> meta refresh, for browsers
   without JavaScript) takes a screen reader back to the top (WCAG 2.2.1). */
(function () {
  "use strict";
  function poll(region) {
    var seconds = parseFloat(region.dataset.pollEvery);
    if (!(seconds > 0)) { return; }
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (!fresh) { return; }  // signed out, or another page: leave this one as it is
          if (fresh.dataset.state !== region.dataset.state) {
            region.replaceChildren.apply(region, Array.from(fresh.childNodes));
            region.dataset.state = fresh.dataset.state;
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
