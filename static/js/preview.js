// The results page's large preview. Without JavaScript each thumbnail stays a link to its
// original; with it, a click or Enter opens this dialog instead. Thumbnails are found by
// delegation and by their card's id, never trusted to last: polling (tasks.js) replaces them.
(function () {
  "use strict";
  var dialog = document.getElementById("preview");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var THUMBS = "#live-results a[data-preview]";
  var image = document.getElementById("preview-image");
  var label = document.getElementById("preview-label");
  var task = document.getElementById("preview-task");
  var position = document.getElementById("preview-position");
  var previous = document.getElementById("preview-previous");
  var next = document.getElementById("preview-next");
  var copy = document.getElementById("preview-copy");
  var copied = document.getElementById("preview-copied");
  var original = document.getElementById("preview-open");
  var download = document.getElementById("preview-download");
  var list = [];
  var index = 0;
  var openerKey = null;

  if (!navigator.clipboard) copy.hidden = true;

  // Each image as the page holds it now. Its key (its card's or row's id and its place there)
  // names it again after polling replaced the element; the task ID is the card's first <code>,
  // so a page of many images carries it once per task.
  function thumbnails() {
    var seen = {};
    return Array.prototype.map.call(document.querySelectorAll(THUMBS), function (link) {
      var holder = link.closest("article.task, tr");
      seen[holder.id] = (seen[holder.id] || 0) + 1;
      return {
        key: holder.id + "/" + seen[holder.id],
        link: link,
        url: link.getAttribute("href"),
        label: link.dataset.preview,
        task: holder.querySelector("code").textContent.trim()
      };
    });
  }

  function indexOf(items, key) {
    for (var i = 0; i < items.length; i++) if (items[i].key === key) return i;
    return -1;
  }

  function show(at) {
    index = at;
    var item = list[at];
    image.src = item.url;
    image.alt = item.label + " of task " + item.task;
    label.textContent = item.label;
    task.textContent = item.task;
    position.textContent = (at + 1) + " of " + list.length;
    original.href = item.url;
    download.href = item.url;
    copied.textContent = "";
    previous.hidden = next.hidden = list.length < 2;
  }

  function move(step) {
    if (list.length < 2) return;
    // Images a finished task brought meanwhile join in; if polling took this one away, the
    // list as it was still leads on.
    var fresh = thumbnails();
    var at = indexOf(fresh, list[index].key);
    if (at >= 0) {
      list = fresh;
      index = at;
    }
    show((index + step + list.length) % list.length);
  }

  function open(link) {
    list = thumbnails();
    var at = Math.max(0, list.findIndex(function (item) { return item.link === link; }));
    openerKey = list[at].key;
    show(at);
    dialog.showModal();
    [next, copy, original].filter(function (b) { return !b.hidden; })[0].focus();
  }

  document.addEventListener("click", function (event) {
    // A new tab or window asked for on purpose (Ctrl, middle button…) is the browser's to open.
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest(THUMBS) : null;
    if (!link) return;
    event.preventDefault();
    open(link);
  });

  dialog.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "ArrowRight") move(1);
    else if (event.key === "ArrowLeft") move(-1);
    else return;
    event.preventDefault();
  });
  // A click on the backdrop lands on the dialog itself, outside its body.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  previous.addEventListener("click", function () { move(-1); });
  next.addEventListener("click", function () { move(1); });
  document.getElementById("preview-close").addEventListener("click", function () {
    dialog.close();
  });
  copy.addEventListener("click", function () {
    navigator.clipboard.writeText(list[index].url).then(function () {
      copied.textContent = "Copied";
    }, function () {
      copied.textContent = "Could not copy: Open original shows the address";
    });
  });
  // Back to the thumbnail that opened it: the one on the page now, if polling replaced it.
  dialog.addEventListener("close", function () {
    var items = thumbnails();
    var at = indexOf(items, openerKey);
    if (at >= 0) items[at].link.focus();
    image.removeAttribute("src");
  });
})();
