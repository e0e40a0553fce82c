/* The shop form's map (templates/shops/shop_form.html): a draggable pin that writes the hidden
   lat/lon fields. It starts where the geocoder placed the address, or at the town centre when
   it could not (offline, unknown address). Without JavaScript the box stays hidden and the
   address places the shop when the form is saved. The pin can also be moved with the keyboard
   (Leaflet's marker keyboard support: focus it, then use the arrow keys). */
(function () {
  "use strict";
  var box = document.getElementById("pin-map");
  if (!box) return;
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var source = document.getElementById("position_source");
  var hint = document.getElementById("position-hint");

  function keep(at) {
    lat.value = at.lat.toFixed(6);
    lon.value = at.lng.toFixed(6);
    source.value = "pin";  // the server keeps a position the shopkeeper placed
  }

  function draw() {
    var at = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    var located = box.dataset.located === "yes";
    var map = L.map(box, {scrollWheelZoom: false}).setView(at, located ? 18 : 15);
    L.tileLayer(box.dataset.tiles, {maxZoom: 19}).addTo(map);
    var pin = L.marker(at, {draggable: true, autoPan: true, title: box.dataset.label, alt: box.dataset.label}).addTo(map);
    pin.on("dragend", function () { keep(pin.getLatLng()); });
    map.on("click", function (event) { pin.setLatLng(event.latlng); keep(event.latlng); });
    if (hint && hint.dataset.pin) hint.textContent = hint.dataset.pin;
  }

  function load() {
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

  if (!lat || !lon || !source) return;
  box.hidden = false;
  load();
})();
