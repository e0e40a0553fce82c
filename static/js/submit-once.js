/* A courtesy against double clicks on forms marked data-submit-once: after the first submit
   their buttons are disabled. The server still places one checkout per form token; this only
   spares the resident a second request. Going back to the page (bfcache) enables them again. */
(function () {
  "use strict";
  function buttons(form) { return form.querySelectorAll("button[type=submit], input[type=submit]"); }
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      // After this event: disabling the button first would drop it from the submission.
      setTimeout(function () {
        buttons(form).forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
      }, 0);
    });
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.submitted;
      buttons(form).forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  });
})();
