/* The shop map (templates/public/map.html): progressive enhancement of the server-rendered list.
   Every shop of the filters (data-src: GeoJSON from /map/shops.geojson, all pages of the list)
   becomes a marker, grouped into clusters (Leaflet.markercluster) where they crowd; the tiles come
   from data-tiles. With ?near= the visitor's position is drawn too (static/js/near-me.js asks). */
(function () {
  "use strict";
  var box = document.getElementById("shop-map");
  if (!box || !window.L || !L.markerClusterGroup) return;
  var text = box.dataset;

  function fromList() {  // the data could not be read: the shops of this page of the list
    var found = [];
    document.querySelectorAll(".map-list [data-lat][data-lon]").forEach(function (item) {
      var link = item.querySelector("a");
      found.push({geometry: {coordinates: [parseFloat(item.dataset.lon), parseFloat(item.dataset.lat)]},
                  properties: {name: link.textContent.trim(), url: link.href}});
    });
    return found;
  }

  function line(parent, tag, content, className) {  // text nodes only: names are never parsed as HTML
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) node.className = className;
    parent.appendChild(node);
    return node;
  }

  function popup(shop) {
    var body = document.createElement("div");
    var link = line(line(body, "p", ""), "a", shop.name);
    link.href = shop.url;
    if (shop.category || shop.address) {
      line(body, "p", [shop.category, shop.address].filter(Boolean).join(" · "), "muted");
    }
    if (shop.open_now !== undefined) {
      line(body, "p", shop.open_now ? text.openLabel : text.closedLabel,
           "badge " + (shop.open_now ? "badge--open" : "badge--closed"));
    }
    return body;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var icon = document.createElement("span");
    line(icon, "span", String(count)).setAttribute("aria-hidden", "true");
    line(icon, "span", text.clusterLabel.replace("{n}", count), "visually-hidden");
    return L.divIcon({html: icon, className: "cluster", iconSize: L.point(40, 40)});
  }

  function position() {
    var parts = (text.near || "").split(",").map(parseFloat);
    return parts.length === 2 && !isNaN(parts[0]) && !isNaN(parts[1]) ? L.latLng(parts[0], parts[1]) : null;
  }

  function draw(features) {
    var here = position();
    if (!features.length && !here) return;
    box.textContent = "";
    box.classList.add("map--live");
    var map = L.map(box, {scrollWheelZoom: false});
    L.tileLayer(text.tiles, {attribution: text.attribution, maxZoom: 19}).addTo(map);
    var group = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40,
                                      iconCreateFunction: clusterIcon});
    var points = features.map(function (feature) {
      var at = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
      var name = feature.properties.name;
      group.addLayer(L.marker(at, {title: name, alt: name, keyboard: true}).bindPopup(popup(feature.properties)));
      return at;
    });
    map.addLayer(group);
    if (here) {
      var accuracy = 0;
      try { accuracy = parseInt(window.sessionStorage.getItem("vitrine-near-accuracy"), 10) || 0; } catch (e) { /* none */ }
      // At least 100 m: the position was rounded to that before it reached the server.
      L.circle(here, {radius: Math.min(Math.max(accuracy, 100), 2000), interactive: false,
                      className: "you-are-here__area"}).addTo(map);
      L.marker(here, {icon: L.divIcon({className: "you-are-here", iconSize: L.point(18, 18)}),
                      title: text.positionLabel, keyboard: false, interactive: false,
                      zIndexOffset: 1000}).addTo(map);
      // The position and the nearest shops around it.
      points.sort(function (a, b) { return here.distanceTo(a) - here.distanceTo(b); });
      points = [here].concat(points.slice(0, 5));
    }
    if (text.centreLat) {  // from a shop's page: that shop in the middle, its street readable
      map.setView([parseFloat(text.centreLat), parseFloat(text.centreLon)], 17);
    } else {
      map.fitBounds(L.latLngBounds(points), {padding: [24, 24], maxZoom: 16});
    }
  }

  fetch(text.src, {headers: {Accept: "application/geo+json"}, credentials: "same-origin"})
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (data) { draw(data.features); }, function () { draw(fromList()); });
})();
