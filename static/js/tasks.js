// Progressive enhancement for the results page: copy buttons, and live updates while any task
// is still running. Without JavaScript the page works the same through its Refresh link.
(function () {
  "use strict";
  var delay = 3000;
  var maxDelay = 30000;

  function enableCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          var label = button.firstChild;
          label.textContent = "Copied";
          setTimeout(function () { label.textContent = "Copy"; }, 1500);
        }, function () { /* clipboard refused: the ID stays selectable as text */ });
      });
    });
  }

  function schedule() {
    var live = document.getElementById("live");
    if (!live || live.dataset.polling !== "true") return;
    setTimeout(poll, delay);
    delay = Math.min(maxDelay, Math.round(delay * 1.3));
  }

  function poll() {
    var url = new URL(window.location.href);
    url.searchParams.delete("refresh");
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var live = document.getElementById("live");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#live");
        if (live && fresh) {
          live.replaceWith(fresh);
          enableCopyButtons(fresh);
        }
        schedule();
      })
      .catch(function () { schedule(); });
  }

  enableCopyButtons(document);
  schedule();
})();
