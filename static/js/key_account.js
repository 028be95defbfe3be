// Fills in a key's credits and plan (tasks/_key_account.html) once Apiframe has said them, so
// that the page around them never waits for Apiframe. Without JavaScript a link opens them.
(function () {
  "use strict";
  var box = document.getElementById("key-account");
  if (!box || !box.dataset.src) return;
  fetch(box.dataset.src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    })
    .then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".key-account-figures");
      if (!fresh) throw new Error("no figures in the answer");
      box.replaceChildren(document.importNode(fresh, true));
    })
    .catch(function () {
      var waiting = document.getElementById("key-account-waiting");
      if (waiting) waiting.textContent = "This key's credits and plan could not be loaded: reload the page to try again.";
    });
})();
