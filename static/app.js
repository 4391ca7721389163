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
