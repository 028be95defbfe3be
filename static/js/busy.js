// While a slow upstream answers, say so on the button that asked, and ignore a second click.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-busy]");
  forms.forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    if (button) button.dataset.idle = button.textContent;
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
      if (button) {
        button.textContent = form.dataset.busy;
        button.setAttribute("aria-busy", "true");
      }
    });
  });
  // A page restored by the Back button must not stay stuck on "Refreshing…".
  window.addEventListener("pageshow", function () {
    forms.forEach(function (form) {
      delete form.dataset.sent;
      var button = form.querySelector("button[type=submit]");
      if (button && button.dataset.idle) {
        button.textContent = button.dataset.idle;
        button.removeAttribute("aria-busy");
      }
    });
  });
})();
