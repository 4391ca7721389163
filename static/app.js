// "/" jumps to the search box in the top bar (unless the user is typing somewhere).
document.addEventListener("keydown", function (e) {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var box = document.getElementById("global-search");
  if (!box) return;
  e.preventDefault();
  box.focus();
  box.select();
});

// Typing in the search box suggests clients; picking one goes straight to it. Enter
// without picking searches everything (the form works without this script too).
(function () {
  var box = document.getElementById("global-search");
  var list = document.getElementById("client-suggestions");
  if (!box || !list || !window.fetch) return;
  var timer = null;
  var ids = {};
  box.addEventListener("input", function () {
    if (Object.prototype.hasOwnProperty.call(ids, box.value)) {
      window.location.href = "/clients/" + ids[box.value];
      return;
    }
    clearTimeout(timer);
    var q = box.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      fetch("/clients/switch.json?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          list.textContent = "";
          ids = {};
          rows.forEach(function (c) {
            var o = document.createElement("option");
            o.value = c.name;
            ids[c.name] = c.id;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
