// A "Print" button on the ticket pages: shown only when JavaScript can print (the browser's menu does it otherwise).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
