// "Scan the QR code" at the counter: the phone's camera reads the customer's QR (jsQR, loaded on
// first use) and its code goes into the same form as a typed one: the pickup code lookup, or a
// town voucher on an order. Without JavaScript or camera the button stays hidden and the typed
// code is the way; outside HTTPS the page says why.
document.querySelectorAll("[data-scan-root]").forEach(function (form) {
  var button = form.querySelector("[data-scan]");
  var panel = form.querySelector("[data-scanner]");
  var video = form.querySelector("[data-scan-video]");
  var status = form.querySelector("[data-scan-status]");
  var field = form.querySelector("[data-scan-field]");
  var stream = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  if (!window.isSecureContext) {
    form.querySelector("[data-scan-https]").hidden = false;
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  button.hidden = false;

  function loadDecoder() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = form.getAttribute("data-jsqr");
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    panel.hidden = true;
    button.hidden = false;
  }

  function scanFrames(decode) {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = decode(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) {
        // The server reads the code out of the QR's link (?code=...), or takes a bare code.
        field.value = found.data;
        stop();
        // requestSubmit checks the form (required field) like a click on its submit button.
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        return;
      }
    }
    window.requestAnimationFrame(function () { scanFrames(decode); });
  }

  button.addEventListener("click", function () {
    status.textContent = "";
    panel.hidden = false;
    button.hidden = true;
    // The camera's picture in view: the shopkeeper aims with it (and a browser may not play a
    // video out of view).
    panel.scrollIntoView({ block: "center" });
    Promise.all([
      loadDecoder(),
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
    ]).then(function (results) {
      stream = results[1];
      video.srcObject = stream;
      return video.play().then(function () { scanFrames(results[0]); });
    }).catch(function () {
      stop();
      panel.hidden = false;
      status.textContent = form.getAttribute("data-camera-refused");
      field.focus();
    });
  });
  form.querySelector("[data-scan-stop]").addEventListener("click", function () {
    stop();
    field.focus();
  });
});
