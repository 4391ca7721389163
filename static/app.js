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

// Typing in a box marked `data-suggest` (the top bar's search, the client pickers)
// suggests clients by name from `/clients/switch.json`; in the top bar (`data-go`),
// picking one goes straight to it. Every such form works without this script: the
// server resolves what was typed.
(function () {
  if (!window.fetch) return;
  document.querySelectorAll("input[data-suggest][list]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("list"));
    if (!list) return;
    var go = box.hasAttribute("data-go");
    var timer = null;
    var ids = {};
    box.addEventListener("input", function () {
      if (go && Object.prototype.hasOwnProperty.call(ids, box.value)) {
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
  });
})();

// A copy button beside every value marked `data-copy` (usernames, revealed secrets, the
// current code, URLs, serials, addresses). Without this script the value is still
// selectable text. The Clipboard API needs a secure context; elsewhere the text is
// selected and copied the old way.
(function () {
  function copy(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) done(); } catch (e) {}
    document.body.removeChild(area);
  }
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy";
    b.textContent = "Copy";
    var what = el.getAttribute("data-copy");
    b.setAttribute("aria-label", "Copy " + (what || "value"));
    b.addEventListener("click", function () {
      copy(el.textContent.trim(), function () {
        b.textContent = "Copied";
        b.classList.add("done");
        setTimeout(function () { b.textContent = "Copy"; b.classList.remove("done"); }, 1500);
      });
    });
    el.insertAdjacentElement("afterend", b);
  });
  // A TOTP code's seconds left, counted down; at zero the code is marked stale.
  document.querySelectorAll("[data-seconds]").forEach(function (el) {
    var left = parseInt(el.getAttribute("data-seconds"), 10);
    if (!(left > 0)) return;
    var t = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(t);
        el.textContent = "expired: reveal again for a new code";
        return;
      }
      el.textContent = left + " s left";
    }, 1000);
  });
})();

// A form that came back with errors: the first field in error takes the focus, so a
// keyboard or screen-reader user lands on what to fix.
(function () {
  var bad = document.querySelector("main [aria-invalid=true]");
  if (bad) bad.focus();
})();

// After a reveal (a POST), the address bar shows the record's own page, so reloading or
// sharing the address opens the record instead of a POST-only URL.
(function () {
  var page = document.querySelector("[data-canonical]");
  if (page && window.history && history.replaceState) {
    history.replaceState(null, "", page.getAttribute("data-canonical"));
  }
})();
