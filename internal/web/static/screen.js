// The hall screen: rotates its panels, follows the server's events, and
// says when it has lost the server (keeping the last picture and its time).
(function () {
  "use strict";
  var body = document.body;
  var panels = Array.prototype.slice.call(document.querySelectorAll(".panel"));
  var conn = document.getElementById("conn");
  var stamp = document.getElementById("stamp");
  var ticker = document.getElementById("ticker");
  var clock = document.getElementById("clock");
  var interval = Math.max(5, parseInt(body.getAttribute("data-interval"), 10) || 15) * 1000;
  var levels = (ticker.getAttribute("data-levels") || "").split("|");
  var source = null, lastHeard = Date.now(), revoked = false, retry = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // The hall's clock is the unit's, whatever zone the screen's computer keeps.
  var offset = (parseInt(body.getAttribute("data-offset"), 10) || 0) * 60000;
  function tick() {
    var d = new Date(Date.now() + offset);
    clock.textContent = d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
    // A stream that went quiet (no ping for 40 s) is as good as lost.
    if (source && !revoked && Date.now() - lastHeard > 40000) { offline(); source.close(); source = null; reconnect(); }
  }

  var shown = 0;
  function rotate() {
    if (panels.length < 2) { return; }
    var next = shown;
    for (var i = 1; i <= panels.length; i++) {
      var k = (shown + i) % panels.length;
      if (!panels[k].querySelector("[data-empty]")) { next = k; break; }
    }
    if (next === shown) { return; }
    panels[shown].classList.remove("shown");
    panels[next].classList.add("shown");
    shown = next;
  }

  function mark(state) {
    conn.className = state;
    conn.textContent = conn.getAttribute("data-mark-" + state);
    body.classList.toggle("is-offline", state !== "online");
  }
  function online() { mark("online"); }
  function offline() { if (!revoked) { mark("offline"); } }

  function heard() { lastHeard = Date.now(); if (!revoked) { online(); } }

  function connect() {
    retry = null;
    source = new EventSource(body.getAttribute("data-events"));
    source.onopen = heard;
    source.onerror = function () {
      offline();
      // The browser retries by itself unless the server refused the
      // stream; then try again, slowly, in case it comes back.
      if (source && source.readyState === EventSource.CLOSED) { source = null; reconnect(); }
    };
    source.addEventListener("ping", heard);
    source.addEventListener("panels", function (e) {
      heard();
      var d = JSON.parse(e.data);
      Object.keys(d.panels).forEach(function (name) {
        var el = document.getElementById("panel-" + name);
        if (el) { el.innerHTML = d.panels[name]; }
      });
      stamp.textContent = d.at;
    });
    source.addEventListener("rating", function (e) {
      heard();
      var d = JSON.parse(e.data);
      var win = document.querySelector('#panel-ratings [data-window="' + d.window + '"] .name');
      var text = ticker.getAttribute("data-text");
      ticker.textContent = text.replace("%s", win ? win.textContent : "").replace("%s", levels[d.level - 1] || "");
      ticker.setAttribute("data-rating", d.id);
    });
    source.addEventListener("reload", function () { window.location.reload(); });
    source.addEventListener("revoked", function () {
      revoked = true;
      source.close();
      source = null;
      mark("revoked");
    });
  }
  function reconnect() { if (!retry && !revoked) { retry = setTimeout(connect, 5000); } }

  tick();
  setInterval(tick, 1000);
  setInterval(rotate, interval);
  connect();
})();
