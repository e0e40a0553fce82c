/* The shop map (templates/public/map.html): progressive enhancement of the server-rendered list.
   Each list item with data-lat/data-lon becomes a marker; the tiles come from data-tiles.
   "Near me" asks for the position only when clicked, then reloads the list sorted by distance. */
(function () {
  "use strict";
  var box = document.getElementById("shop-map");
  var nearMe = document.getElementById("near-me");
  var status = document.getElementById("near-status");

  if (nearMe && navigator.geolocation) {
    nearMe.hidden = false;
    nearMe.addEventListener("click", function () {
      status.textContent = nearMe.dataset.waiting;
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = new URL(window.location.href);
        // About 100 m: enough to sort shops, no more precise than needed.
        url.searchParams.set("near", position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3));
        url.searchParams.delete("page");
        window.location.assign(url.toString());
      }, function () {
        status.textContent = nearMe.dataset.error;
      }, {timeout: 10000, maximumAge: 600000});
    });
  }

  if (!box || !window.L) return;
  var items = document.querySelectorAll(".map-list [data-lat][data-lon]");
  if (!items.length) return;
  box.textContent = "";
  box.classList.add("map--live");
  var map = L.map(box, {scrollWheelZoom: false});
  L.tileLayer(box.dataset.tiles, {attribution: box.dataset.attribution, maxZoom: 19}).addTo(map);
  var points = [];
  items.forEach(function (item) {
    var link = item.querySelector("a"), at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    var name = link.textContent.trim();
    var popup = document.createElement("a");  // built as a node: shop names are never parsed as HTML
    popup.href = link.href;
    popup.textContent = name;
    L.marker(at, {title: name, alt: name, keyboard: true}).bindPopup(popup).addTo(map);
    points.push(at);
  });
  if (box.dataset.centreLat) {  // from a shop's page: that shop in the middle, its street readable
    map.setView([parseFloat(box.dataset.centreLat), parseFloat(box.dataset.centreLon)], 17);
  } else {
    map.fitBounds(points, {padding: [24, 24], maxZoom: 16});
  }
})();
