/* The shop page's small map (templates/public/shop.html): a picture of the streets around the
   shop with its marker. Leaflet is loaded only when the box comes into view, so a shop page costs
   nothing more until then; without JavaScript the box stays hidden and the link to the town map
   is there. The map is not interactive (the town map is): no focus stop, no control. */
(function () {
  "use strict";
  var box = document.getElementById("shop-minimap");
  if (!box) return;

  function draw() {
    var at = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    var map = L.map(box, {
      attributionControl: false, zoomControl: false, dragging: false, keyboard: false,
      scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, touchZoom: false
    }).setView(at, 17);
    L.tileLayer(box.dataset.tiles, {maxZoom: 19}).addTo(map);
    L.marker(at, {interactive: false, keyboard: false}).addTo(map);
    map.getContainer().removeAttribute("tabindex");  // a picture: nothing to reach by Tab
  }

  function load() {
    // The stylesheet first: Leaflet finds its marker image through it.
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.css;
    css.onload = function () {
      var script = document.createElement("script");
      script.src = box.dataset.js;
      script.onload = draw;
      document.head.appendChild(script);
    };
    document.head.appendChild(css);
  }

  box.hidden = false;
  var credit = document.querySelector(".minimap__credit");
  if (credit) credit.hidden = false;
  if (!("IntersectionObserver" in window)) { load(); return; }
  var watch = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); load(); }
  }, {rootMargin: "200px"});
  watch.observe(box);
})();
