// Progressive enhancement for the results page: copy buttons, and live updates while any task
// is still running. Without JavaScript the page works the same through its Refresh button.
(function () {
  "use strict";
  var delay = 3000;
  var maxDelay = 30000;
  var fillingDelay = 700;

  function enableCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button.copy[data-copy]:not([data-ready])").forEach(function (button) {
      button.hidden = false;
      button.dataset.ready = "true";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          var label = button.firstChild;
          label.textContent = "Copied";
          setTimeout(function () { label.textContent = "Copy"; }, 1500);
        }, function () { /* clipboard refused: the ID stays selectable as text */ });
      });
    });
  }

  // Swap a part only when it changed, so focus, scroll and open "Raw JSON" sections survive.
  function swap(current, fresh) {
    if (!current || !fresh) return;
    // Compare against the page as the server sent it, without what this script changed.
    var before = current.cloneNode(true);
    before.querySelectorAll("button.copy").forEach(function (b) {
      b.hidden = true;
      delete b.dataset.ready;
    });
    before.querySelectorAll("details").forEach(function (d) { d.open = false; });
    if (before.outerHTML === fresh.outerHTML) return;
    var hadFocus = current.contains(document.activeElement) && document.activeElement.id;
    var cards = current.matches("article.task") ? [current] : current.querySelectorAll("article.task");
    var openIds = [];
    Array.prototype.forEach.call(cards, function (card) {
      if (card.querySelector("details[open]")) openIds.push(card.id);
    });
    openIds.forEach(function (id) {
      var twin = fresh.id === id ? fresh : fresh.querySelector("#" + id);
      var details = twin && twin.querySelector("details");
      if (details) details.open = true;
    });
    current.replaceWith(fresh);
    enableCopyButtons(fresh);
    if (hadFocus) {
      var again = document.getElementById(hadFocus);
      if (again) again.focus();
    }
  }

  function update(freshLive) {
    var live = document.getElementById("live");
    var parts = ["live-summary", "live-problem", "live-status", "live-groups", "live-pages"];
    parts.forEach(function (id) {
      swap(document.getElementById(id), freshLive.querySelector("#" + id));
    });
    // A task is a gallery card or a table row; each is swapped alone, so the others keep their
    // state (focus, an open "Raw JSON", the preview's place).
    var items = "article.task, tr[id^='row-']";
    var ids = function (root) {
      return Array.prototype.map.call(root.querySelectorAll(items), function (c) { return c.id; }).join();
    };
    var results = document.getElementById("live-results");
    var freshResults = freshLive.querySelector("#live-results");
    if (ids(results) !== ids(freshResults)) {
      swap(results, freshResults);  // a task left or joined the filtered set
    } else {
      freshResults.querySelectorAll(items).forEach(function (item) {
        swap(document.getElementById(item.id), item);
      });
    }
    live.dataset.polling = freshLive.dataset.polling;
    live.dataset.filling = freshLive.dataset.filling;
  }

  function schedule() {
    var live = document.getElementById("live");
    if (!live || live.dataset.polling !== "true") return;
    if (live.dataset.filling === "true") {
      // A big lookup filling in: its answers arrive within seconds, so look often.
      setTimeout(poll, fillingDelay);
      return;
    }
    setTimeout(poll, delay);
    delay = Math.min(maxDelay, Math.round(delay * 1.3));
  }

  function poll() {
    var url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#live");
        if (fresh) update(fresh);
        schedule();
      })
      .catch(function () { schedule(); });
  }

  // A paste longer than the server reads is refused here, before sending, so it stays in the box.
  document.querySelectorAll("textarea[data-max-chars]").forEach(function (box) {
    var form = box.form;
    var limit = parseInt(box.dataset.maxChars, 10);
    if (!form || !limit) return;
    form.addEventListener("submit", function (event) {
      var old = form.querySelector(".paste-too-long");
      if (old) old.remove();
      if (box.value.length <= limit) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var note = document.createElement("p");
      note.className = "error paste-too-long";
      note.setAttribute("role", "alert");
      note.textContent = "That text is " + box.value.length.toLocaleString("en") +
        " characters long; one lookup reads at most " + limit.toLocaleString("en") +
        ". Paste it in parts.";
      box.insertAdjacentElement("afterend", note);
      box.focus();
    }, true);
  });

  enableCopyButtons(document);
  schedule();
})();
