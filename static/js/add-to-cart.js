/* "Add" without leaving the page: a form marked data-add-to-cart (templates/cart/_add_form.html,
   the product page) is posted with fetch, the same fields as without JavaScript (CSRF token
   included), asking for JSON. The header's cart count (#cart-count) is updated and the answer is
   read out by the live region #cart-status (base.html). Without JavaScript the form posts as usual
   and the server sends the visitor back to the product's place on the page. */
(function () {
  "use strict";
  var status = document.getElementById("cart-status");
  var count = document.getElementById("cart-count");
  if (!status || !count || !window.fetch || !window.FormData) return;
  var hideTimer = null;

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("cart-status--error", isError);
    clearTimeout(hideTimer);  // the message stays readable a while, then the corner clears
    hideTimer = setTimeout(function () { status.textContent = ""; }, 8000);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-add-to-cart]")) return;
    event.preventDefault();
    if (form.dataset.busy) return;  // a double click adds once
    form.dataset.busy = "1";
    var button = form.querySelector("[type=submit]");
    if (button) button.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: {"Accept": "application/json"},
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (answer.ok) {
        count.textContent = "(" + answer.body.count + ")";
        count.hidden = false;
        say(answer.body.message, false);
      } else {
        say(answer.body.error.message, true);
      }
    }).catch(function () {
      say(status.dataset.failed, true);
    }).then(function () {
      delete form.dataset.busy;
      if (button) button.removeAttribute("aria-busy");
    });
  });
})();
