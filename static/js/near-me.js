/* "Near me" on the shop directory and the map (templates/public/_shop_filters.html): asks the
   browser for the position only when the button is clicked, then reloads the page with
   ?near=lat,lon (rounded to about 100 m), which the server sorts by distance. Without
   JavaScript the button stays hidden and the lists are A-Z. */
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  var status = document.getElementById("near-status");
  if (!button || !status || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      var url = new URL(window.location.href);
      // About 100 m: enough to sort shops, no more precise than needed.
      url.searchParams.set("near", position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3));
      url.searchParams.delete("page");
      try {  // the map draws the uncertainty around the position it shows (never sent to the server)
        window.sessionStorage.setItem("vitrine-near-accuracy", String(Math.round(position.coords.accuracy)));
      } catch (e) { /* storage refused: the map draws the rounding alone */ }
      window.location.assign(url.toString());
    }, function () {
      status.textContent = button.dataset.error;
    }, {timeout: 10000, maximumAge: 600000});
  });
})();
