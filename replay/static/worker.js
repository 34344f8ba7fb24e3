// warcbox replay prelude for worker scripts (served with wkr_/sw_): gives
// the renamed location references (WB_wombat_location) the archived URL,
// and sends fetch, XMLHttpRequest and importScripts to the archive. The
// worker's own Content-Security-Policy blocks anything missed.
(function () {
  "use strict";
  if (self.__wb_worker) { return; }
  self.__wb_worker = true;
  var m = /^(\/[^\/]+\/)([0-9]{0,14})(?:[a-z]{2,4}_)?\/(https?:\/\/?.*)$/i.exec(self.location.pathname + self.location.search);
  if (!m) { return; }
  var prefix = m[1], ts = m[2], orig = m[3].replace(/^(https?:)\/(?!\/)/i, "$1//");
  function rw(u, mod) {
    if (typeof u !== "string") { if (u instanceof URL) { u = u.href; } else { return u; } }
    if (/^(data|blob|about):/i.test(u)) { return u; }
    var abs;
    try { abs = new URL(u, orig); } catch (e) { return u; }
    if (abs.origin === self.location.origin) {
      if (/^\/[^\/]+\/[0-9]{0,14}([a-z]{2,4}_)?\/https?:/i.test(abs.pathname)) { return u; }
      abs = new URL(abs.pathname + abs.search, orig);
    }
    if (abs.protocol !== "http:" && abs.protocol !== "https:") { return u; }
    return prefix + ts + mod + "/" + abs.href;
  }
  var loc = new URL(orig);
  Object.defineProperty(Object.prototype, "WB_wombat_location", {
    configurable: true, enumerable: false,
    get: function () { return this === self ? loc : this.location; },
    set: function (v) { if (this !== self) { this.location = v; } }
  });
  if (self.fetch) {
    var f = self.fetch;
    self.fetch = function (input, init) {
      if (typeof input === "string" || input instanceof URL) { input = rw(String(input), "mp_"); }
      else if (input && input.url) { var nu = rw(input.url, "mp_"); if (nu !== input.url) { input = new Request(nu, input); } }
      return f.call(this, input, init);
    };
  }
  if (self.XMLHttpRequest) {
    var open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url) {
      var a = Array.prototype.slice.call(arguments); a[1] = rw(String(url), "mp_");
      return open.apply(this, a);
    };
  }
  if (self.importScripts) {
    var imp = self.importScripts;
    self.importScripts = function () {
      return imp.apply(this, Array.prototype.map.call(arguments, function (u) { return rw(String(u), "wkr_"); }));
    };
  }
})();
