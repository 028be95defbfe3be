// "Copy link" buttons: shown only where the clipboard can be written; the field stays selectable
// by hand everywhere else.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    var idle = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { button.textContent = "Copied"; },
        function () { field.select(); button.textContent = "Select and copy by hand"; }
      );
      setTimeout(function () { button.textContent = idle; }, 2500);
    });
  });
})();
