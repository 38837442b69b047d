// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
    return;
  }
  // Stop a double click from sending the same form twice.
  var buttons = e.target.querySelectorAll("button[type=submit]");
  window.setTimeout(function () {
    buttons.forEach(function (b) { b.disabled = true; });
  }, 0);
});
// Coming back with the browser's back button shows the page as it was left:
// enable its buttons again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
});
// Print buttons on printable pages.
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) {
    window.print();
  }
});
// Live pages (the window status) reload themselves every data-refresh
// seconds while nobody is typing in them.
(function () {
  var el = document.querySelector("[data-refresh]");
  if (!el) { return; }
  var seconds = parseInt(el.getAttribute("data-refresh"), 10) || 60;
  window.setInterval(function () {
    var a = document.activeElement;
    if (!a || (a.tagName !== "INPUT" && a.tagName !== "TEXTAREA" && a.tagName !== "SELECT")) {
      window.location.reload();
    }
  }, seconds * 1000);
})();
// The activity form shows the fields the chosen kind uses; without this
// file every field shows and the server says which ones are needed.
(function () {
  var select = document.querySelector("[data-claim-kind]");
  if (!select) { return; }
  function show() {
    var opt = select.options[select.selectedIndex];
    var form = opt ? opt.getAttribute("data-form") : "";
    document.querySelectorAll("[data-forms]").forEach(function (el) {
      el.hidden = el.getAttribute("data-forms").split(" ").indexOf(form) < 0;
    });
  }
  select.addEventListener("change", show);
  show();
})();
// One navigation menu open at a time, closed by a click elsewhere.
document.addEventListener("click", function (e) {
  var inside = e.target.closest ? e.target.closest("details.nav-menu") : null;
  document.querySelectorAll("details.nav-menu[open]").forEach(function (d) {
    if (d !== inside) { d.removeAttribute("open"); }
  });
});
