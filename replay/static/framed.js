// warcbox framed content (mp_): tells the top frame (frame.js) which
// capture this frame shows, on load and when the page moves with the
// History API or a fragment, so the banner, address bar and timeline follow
// navigations inside the frame. It reads the real location, never what
// the page's scripts see.
(function () {
  "use strict";
  var cfg = window.__wb;
  if (!cfg || !cfg.coll) { return; }
  var loc = window.location;
  var prefix = "/" + cfg.coll + "/";
  // where this window really is: /<coll>/<ts>mp_/<url>
  function current() {
    var p = loc.pathname + loc.search + loc.hash;
    if (p.indexOf(prefix) !== 0) { return null; }
    var m = /^(\d{14})mp_\/(.*)$/.exec(p.slice(prefix.length));
    if (!m) { return null; }
    return { ts: m[1], url: m[2] };
  }
  // Only the frame of the top frame speaks: loaded top-level (mp_ asked
  // for directly) or as a frame of the page itself, it says nothing.
  if (window.top === window || window.parent !== window.top) { return; }
  var parent = window.parent;
  if (typeof cfg.notFound === "string") {
    // replay's not-found page: the top frame must not go on naming the
    // capture shown before
    var notFound = function () {
      try { parent.postMessage({ warcbox: "notfound", url: cfg.notFound.slice(0, 8192) }, "*"); } catch (e) { /* gone */ }
    };
    notFound();
    window.addEventListener("message", function (ev) {
      if (ev.source === parent && ev.data && ev.data.warcbox === "which") { notFound(); }
    });
    return;
  }
  var last = "";
  function report(again) {
    var now = current();
    if (!now) { return; }
    var key = now.ts + " " + now.url + " " + document.title;
    if (key === last && again !== true) { return; }
    last = key;
    var msg = { warcbox: "framed", url: now.url, ts: now.ts, title: String(document.title || "").slice(0, 300) };
    // "*": the message says only which capture is shown, and replay's
    // frame-ancestors lets no other site frame it.
    try { parent.postMessage(msg, "*"); } catch (e) { /* the top frame is gone */ }
  }
  report();
  if (document.readyState !== "complete") { window.addEventListener("load", report); }
  // the top frame asks after each load it did not start
  window.addEventListener("message", function (ev) {
    if (ev.source === parent && ev.data && ev.data.warcbox === "which") { report(true); }
  });
  window.addEventListener("popstate", report);
  window.addEventListener("hashchange", report);
  ["pushState", "replaceState"].forEach(function (fn) {
    var orig = History.prototype[fn];
    History.prototype[fn] = function () {
      var r = orig.apply(this, arguments);
      report();
      return r;
    };
  });
})();
