// warcbox replay client: rewrites URLs a page creates at run time so they
// load from the archive, and answers location/URL questions with the
// archived URL. Server-side rewriting renames location references to
// WB_wombat_location, defined below. The Content-Security-Policy the server
// sends is the backstop: anything missed here fails closed.
(function wbClient() {
  "use strict";
  var cfg = window.__wb;
  if (!cfg) { return; }
  // A frame's initial about:blank window, which its parent installed this
  // script into, is reused by the same-origin page it then loads: the
  // hooks are in place already; the new document is adopted (its
  // configuration, observer, banner) instead of wrapping everything twice.
  if (window.__wb_client) {
    if (window.__wb_client !== document && window.__wb_adopt) { window.__wb_adopt(cfg, document); }
    return;
  }
  window.__wb_client = document;
  // The same script, for the windows this page creates (about:blank
  // frames, window.open("") popups): each gets its own copy, run in its own
  // global, before the page can use it.
  var clientSrc = "(" + wbClient.toString() + ")();";
  var prefix = cfg.prefix;            // "/coll/"
  var ts = cfg.ts;                    // capture timestamp
  var pageMod = cfg.mod || "";        // "" or "mp_"
  // A window this script was installed into from its opener or parent may
  // still be on about:blank: the installer says the origin.
  var replayOrigin = cfg.origin || window.location.origin;
  var fullPrefix = replayOrigin + prefix;

  // unrw maps a replay URL back to the archived URL; other URLs pass.
  function unrw(u) {
    if (typeof u !== "string") { return u; }
    var p = u.indexOf(fullPrefix) === 0 ? fullPrefix.length : (u.indexOf(prefix) === 0 ? prefix.length : -1);
    if (p < 0) { return u; }
    var rest = u.slice(p);
    var m = /^([0-9]{0,14}(?:[a-z]{2}_)?)\//.exec(rest);
    if (m) { rest = rest.slice(m[0].length); }
    return rest;
  }
  function origURL() {
    var u = unrw(window.location.href);
    return /^https?:\/\//i.test(u) ? u : cfg.url;
  }
  function baseURL() {
    var b = unrw(document.baseURI || "");
    return /^https?:\/\//i.test(b) ? b : origURL();
  }
  // rw maps a URL the page uses to the replay URL under modifier mod.
  function rw(u, mod) {
    if (u === null || u === undefined) { return u; }
    if (typeof u !== "string") {
      if (u instanceof URL) { u = u.href; } else { return u; }
    }
    var t = u.trim();
    if (t === "" || t[0] === "#" || /^(data|blob|javascript|about|mailto|tel|chrome|chrome-extension):/i.test(t)) { return u; }
    if (t.indexOf(fullPrefix) === 0 && /^([0-9]{0,14}([a-z]{2}_)?\/)?https?:\//i.test(t.slice(fullPrefix.length))) { return u; }
    if (t.indexOf(prefix) === 0 && /^([0-9]{0,14}([a-z]{2}_)?\/)?https?:\//i.test(t.slice(prefix.length))) { return u; }
    var abs;
    try { abs = new URL(t, baseURL()); } catch (e) { return u; }
    if (abs.protocol === "ws:") { abs.protocol = "http:"; }
    if (abs.protocol === "wss:") { abs.protocol = "https:"; }
    if (abs.protocol !== "http:" && abs.protocol !== "https:") { return u; }
    if (abs.origin === replayOrigin) {
      // resolved against the replay origin: the page meant its own host
      abs = new URL(abs.pathname + abs.search + abs.hash, origURL());
    }
    return prefix + ts + (mod === undefined ? pageMod : mod) + "/" + abs.href;
  }
  window.__wb_rw = rw;

  // --- time ---------------------------------------------------------------
  // The page's clock starts at the capture time and runs on from there, as
  // wombat does: pages that compute "today", expiry dates or countdowns show
  // what they showed when archived.
  (function () {
    var OrigDate = window.Date;
    var t = Date.UTC(+ts.slice(0, 4), +(ts.slice(4, 6) || 1) - 1, +(ts.slice(6, 8) || 1),
      +(ts.slice(8, 10) || 0), +(ts.slice(10, 12) || 0), +(ts.slice(12, 14) || 0));
    if (!isFinite(t)) { return; }
    var delta = t - OrigDate.now();
    var now = function () { return OrigDate.now() + delta; };
    var WbDate = function () {
      var a = Array.prototype.slice.call(arguments);
      if (!(this instanceof WbDate)) { return new OrigDate(now()).toString(); }
      if (a.length === 0) { return new OrigDate(now()); }
      return new (Function.prototype.bind.apply(OrigDate, [null].concat(a)))();
    };
    WbDate.prototype = OrigDate.prototype;
    WbDate.now = now;
    WbDate.parse = OrigDate.parse;
    WbDate.UTC = OrigDate.UTC;
    try { Object.defineProperty(OrigDate.prototype, "constructor", { value: WbDate, writable: true, configurable: true }); } catch (e) {}
    window.Date = WbDate;
    // Expiry dates computed from the shifted clock lie in the real past:
    // keep such cookies for the session instead of dropping them at once.
    var ck = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
    if (ck && ck.set && ck.configurable) {
      Object.defineProperty(Document.prototype, "cookie", {
        configurable: true, enumerable: ck.enumerable, get: ck.get,
        set: function (v) { ck.set.call(this, String(v).replace(/;\s*expires=[^;]*/ig, "")); }
      });
    }
  })();
  window.__wb_unrw = unrw;

  // --- location -----------------------------------------------------------
  function isWin(o) { try { return !!o && o.window === o; } catch (e) { return false; } }
  function isDoc(o) { return !!o && o.nodeType === 9 && !!o.defaultView; }
  function makeLocation(win) {
    var real = function () { return win.location; };
    var cur = function () {
      var h = real().href;
      if (/^about:/i.test(h)) { return new URL(h); } // a frame or popup not navigated yet
      var u = unrw(h);
      return new URL(/^https?:\/\//i.test(u) ? u : cfg.url);
    };
    var go = function (u, replace) {
      var target = rw(String(u), pageMod);
      if (replace) { real().replace(target); } else { real().href = target; }
    };
    var loc = {
      assign: function (u) { go(u, false); },
      replace: function (u) { go(u, true); },
      reload: function () { real().reload(); },
      toString: function () { return cur().href; },
      valueOf: function () { return this; }
    };
    ["href", "protocol", "host", "hostname", "port", "pathname", "search", "origin"].forEach(function (k) {
      Object.defineProperty(loc, k, {
        enumerable: true,
        get: function () { return cur()[k]; },
        set: function (v) {
          if (k === "origin") { return; }
          if (k === "href") { go(v, false); return; }
          var u = cur(); u[k] = v; go(u.href, false);
        }
      });
    });
    Object.defineProperty(loc, "hash", {
      enumerable: true,
      get: function () { return real().hash; },
      set: function (v) { real().hash = v; }
    });
    return loc;
  }
  function locFor(o) {
    var win = isDoc(o) ? o.defaultView : o;
    try {
      if (win === window) { return myLoc; }
      if (win.__wb_loc) { return win.__wb_loc; }
      return makeLocation(win);
    } catch (e) { return win.location; }
  }
  var myLoc = makeLocation(window);
  window.__wb_loc = myLoc;
  Object.defineProperty(Object.prototype, "WB_wombat_location", {
    configurable: true,
    enumerable: false,
    get: function () { return (isWin(this) || isDoc(this)) ? locFor(this) : this.location; },
    set: function (v) {
      if (isWin(this) || isDoc(this)) { locFor(this).href = v; } else { this.location = v; }
    }
  });

  // --- navigations that escape rewriting ----------------------------------
  // Rewriting renames the location references it can see; a navigation
  // built at run time (window["loca" + "tion"], an eval'd string, a setter
  // reached through Reflect) slips past it, and CSP does not govern
  // top-level navigations. The Navigation API sees every navigation of this
  // window before it starts, whoever made it (this page, a frame of it, a
  // click): one that would leave the replay origin, or leave replay's paths
  // on it, is cancelled and, unless it posts a form (which CSP's
  // form-action refuses anyway), made again to the archived copy.
  if (window.navigation && typeof window.navigation.addEventListener === "function") {
    window.navigation.addEventListener("navigate", function (e) {
      var dest;
      try { dest = new URL(e.destination.url); } catch (err) { return; }
      if (dest.origin === replayOrigin) {
        // Replay's own pages pass; any other path is one of the archived
        // site's, resolved against the replay host ("/about" built at run
        // time), and goes to its archived copy.
        if (dest.pathname.indexOf(prefix) === 0 || dest.pathname.indexOf("/_/") === 0) { return; }
      } else if (dest.protocol !== "http:" && dest.protocol !== "https:") { return; }
      if (!e.cancelable) { return; }
      e.preventDefault();
      if (!e.formData) { window.location.href = rw(dest.href, pageMod); }
    });
  }

  // --- windows the page creates ------------------------------------------
  // A frame or popup the page makes starts on about:blank, on this origin,
  // with fresh globals: its fetch, open, location and RTCPeerConnection
  // would be the browser's own. Each gets this script, run in its own
  // global, as soon as it exists, so the guards above cover it too.
  var frameWin = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
  function install(w) {
    try {
      if (!w || w === window || w.__wb_client === w.document) { return; }
      w.__wb = JSON.parse(JSON.stringify(cfg));
      w.__wb.child = true;
      w.__wb.origin = replayOrigin;
      w.eval(clientSrc);
    } catch (e) {} // another origin: not ours to patch, and not ours to read
  }
  window.__wb_install = install;
  function installFrames(root) {
    var fs = (root || document).querySelectorAll ? (root || document).querySelectorAll("iframe,frame,object,embed") : [];
    for (var i = 0; i < fs.length; i++) {
      try { install(fs[i].contentWindow || (fs[i].contentDocument && fs[i].contentDocument.defaultView)); } catch (e) {}
    }
  }
  function hasFrame(n) {
    if (!n || typeof n !== "object") { return false; }
    if (n.nodeType === 1 && /^(iframe|frame|object|embed)$/i.test(n.localName)) { return true; }
    return (n.nodeType === 1 || n.nodeType === 11) && !!n.querySelector && !!n.querySelector("iframe,frame,object,embed");
  }
  [[window.HTMLIFrameElement, "contentWindow"], [window.HTMLIFrameElement, "contentDocument"],
    [window.HTMLFrameElement, "contentWindow"], [window.HTMLFrameElement, "contentDocument"],
    [window.HTMLObjectElement, "contentWindow"], [window.HTMLObjectElement, "contentDocument"],
    [window.HTMLEmbedElement, "getSVGDocument"]].forEach(function (pair) {
    if (!pair[0]) { return; }
    var proto = pair[0].prototype, d = Object.getOwnPropertyDescriptor(proto, pair[1]);
    if (!d || !d.configurable) { return; }
    if (typeof d.value === "function") {
      var f = d.value;
      proto[pair[1]] = function () { var r = f.apply(this, arguments); if (r) { install(r.defaultView); } return r; };
      return;
    }
    if (!d.get) { return; }
    Object.defineProperty(proto, pair[1], {
      configurable: true, enumerable: d.enumerable,
      get: function () {
        var v = d.get.call(this);
        if (v) { install(v.nodeType === 9 ? v.defaultView : v); }
        return v;
      }
    });
  });
  // Every way a node enters the document: insert, then install into any
  // frame it brought.
  function afterInsert(proto, name) {
    var f = proto && proto[name];
    if (typeof f !== "function") { return; }
    proto[name] = function () {
      var framed = false;
      for (var i = 0; i < arguments.length; i++) { if (hasFrame(arguments[i])) { framed = true; } }
      var r = f.apply(this, arguments);
      if (framed) { installFrames(document); }
      return r;
    };
  }
  ["appendChild", "insertBefore", "replaceChild"].forEach(function (n) { afterInsert(Node.prototype, n); });
  ["append", "prepend", "before", "after", "replaceWith", "insertAdjacentElement"].forEach(function (n) { afterInsert(Element.prototype, n); });
  ["append", "prepend"].forEach(function (n) { afterInsert(Document.prototype, n); afterInsert(window.DocumentFragment && DocumentFragment.prototype, n); });
  ["before", "after", "replaceWith"].forEach(function (n) { afterInsert(window.CharacterData && CharacterData.prototype, n); });
  afterInsert(window.Range && Range.prototype, "insertNode");
  // a frame navigated to about:blank later gets a fresh window too
  function frameLoaded(e) {
    var t = e.target;
    if (t && t.nodeType === 1 && /^(iframe|frame)$/i.test(t.localName)) { try { install(frameWin.get.call(t)); } catch (err) {} }
  }
  document.addEventListener("load", frameLoaded, true);
  window.__wb_adopt = function (c, doc) {
    window.__wb_client = doc;
    cfg = c;
    prefix = c.prefix;
    ts = c.ts;
    pageMod = c.mod || "";
    replayOrigin = c.origin || window.location.origin;
    fullPrefix = replayOrigin + prefix;
    try { observer.observe(doc, observed); } catch (e) {}
    doc.addEventListener("load", frameLoaded, true);
    if (doc.readyState === "loading") { doc.addEventListener("DOMContentLoaded", banner); } else { banner(); }
  };

  // --- WebRTC -----------------------------------------------------------------
  // ICE sends STUN (UDP) and TURN (TCP) packets to any host the page
  // names, and no CSP directive governs it: replay has no peers to talk
  // to, so peer connections refuse to start.
  (function () {
    var Stub = function RTCPeerConnection() {
      throw new DOMException("WebRTC is off in replay", "NotSupportedError");
    };
    Stub.prototype = Object.create(Object.prototype);
    Stub.generateCertificate = function () { return Promise.reject(new DOMException("WebRTC is off in replay", "NotSupportedError")); };
    ["RTCPeerConnection", "webkitRTCPeerConnection", "mozRTCPeerConnection", "RTCDataChannel", "RTCIceTransport", "RTCSctpTransport", "RTCDtlsTransport"].forEach(function (n) {
      if (n in window) {
        try { Object.defineProperty(window, n, { configurable: false, writable: false, value: Stub }); } catch (e) { try { window[n] = Stub; } catch (e2) {} }
      }
    });
  })();

  // --- document properties ------------------------------------------------
  function defineGetter(proto, prop, get, set) {
    var d = Object.getOwnPropertyDescriptor(proto, prop);
    if (!d || !d.configurable) { return; }
    Object.defineProperty(proto, prop, {
      configurable: true, enumerable: d.enumerable,
      get: function () { return get.call(this, d.get ? d.get.call(this) : d.value); },
      set: set ? function (v) { set.call(this, v, d); } : d.set
    });
  }
  defineGetter(Document.prototype, "URL", function () { return origURL(); });
  defineGetter(Document.prototype, "documentURI", function () { return origURL(); });
  defineGetter(Node.prototype, "baseURI", function (v) { return unrw(v); });
  defineGetter(Document.prototype, "referrer", function (v) { return unrw(v); });
  defineGetter(Document.prototype, "domain", function () { return new URL(origURL()).hostname; }, function () {});

  // --- network APIs -------------------------------------------------------
  var origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function (input, init) {
      if (typeof input === "string" || input instanceof URL) {
        input = rw(String(input), "mp_");
      } else if (input && input.url) {
        var nu = rw(input.url, "mp_");
        if (nu !== input.url) { input = new Request(nu, input); }
      }
      return origFetch.call(this, input, init);
    };
  }
  // A response's URL is the archived one (libraries that follow
  // redirects compare it), not the replay URL.
  [[window.Response, "url"], [window.XMLHttpRequest, "responseURL"]].forEach(function (pair) {
    if (!pair[0]) { return; }
    var d = Object.getOwnPropertyDescriptor(pair[0].prototype, pair[1]);
    if (!d || !d.get || !d.configurable) { return; }
    Object.defineProperty(pair[0].prototype, pair[1], {
      configurable: true, enumerable: d.enumerable,
      get: function () { var v = d.get.call(this); return v ? unrw(v) : v; }
    });
  });
  var origOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    args[1] = rw(String(url), "mp_");
    return origOpen.apply(this, args);
  };
  function wrapCtor(name, mod, ws) {
    var C = window[name];
    if (!C) { return; }
    var W = function (url, opts) {
      var u = rw(String(url), mod);
      if (ws) { u = replayOrigin.replace(/^http/, "ws") + u; }
      return new C(u, opts);
    };
    W.prototype = C.prototype;
    Object.keys(C).forEach(function (k) { try { W[k] = C[k]; } catch (e) {} });
    if (ws) { W.CONNECTING = 0; W.OPEN = 1; W.CLOSING = 2; W.CLOSED = 3; }
    window[name] = W;
  }
  // WebSockets: replay has no live server to talk to (a handshake to the
  // replay origin would be a 404 and a console error). When the capture
  // recorded the socket's frames (warcbox capture --browser), the socket
  // opens and plays the server's messages back in their recorded order and
  // pace (gaps capped at 1 s); what the page sends goes nowhere. Otherwise
  // it fails to connect, as it would offline: error, then close.
  (function () {
    if (!window.WebSocket) { return; }
    var fire = function (self, et, type, ev) {
      var h = self["on" + type];
      if (typeof h === "function") { try { h.call(self, ev); } catch (e) { setTimeout(function () { throw e; }); } }
      et.dispatchEvent(ev);
    };
    var fail = function (self, et) {
      self.readyState = 3;
      fire(self, et, "error", new Event("error"));
      fire(self, et, "close", new CloseEvent("close", { code: 1006, reason: "", wasClean: false }));
    };
    var payload = function (self, f) {
      if (!f.base64) { return f.data; }
      var bin = atob(f.data), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      if (f.opcode === 1) { return new TextDecoder().decode(bytes); }
      return self.binaryType === "arraybuffer" ? bytes.buffer : new Blob([bytes]);
    };
    var WS = function WebSocket(url, protocols) {
      if (!(this instanceof WS)) { throw new TypeError("Failed to construct 'WebSocket': Please use the 'new' operator"); }
      var et = new EventTarget();
      var self = this;
      ["addEventListener", "removeEventListener", "dispatchEvent"].forEach(function (k) { self[k] = et[k].bind(et); });
      this.url = String(url);
      this.readyState = 0;
      this.protocol = "";
      this.extensions = "";
      this.bufferedAmount = 0;
      this.binaryType = "blob";
      this.onopen = this.onmessage = this.onerror = this.onclose = null;
      var abs;
      try { abs = new URL(String(url), origURL()); } catch (e) { abs = null; }
      if (!abs || (abs.protocol !== "ws:" && abs.protocol !== "wss:") || !origFetch) {
        setTimeout(function () { fail(self, et); }, 0);
        return;
      }
      origFetch.call(window, prefix + ts + "ws_/" + abs.href, { credentials: "omit" }).then(function (r) {
        if (!r.ok) { throw new Error("no frames recorded"); }
        return r.text();
      }).then(function (text) {
        if (self.readyState !== 0) { return; }
        var frames = [];
        text.split("\n").forEach(function (l) {
          if (!l) { return; }
          try { var f = JSON.parse(l); } catch (e) { return; }
          if (f.dir === "received" && (f.opcode === 1 || f.opcode === 2)) { frames.push(f); }
        });
        self.readyState = 1;
        fire(self, et, "open", new Event("open"));
        var i = 0;
        var next = function () {
          if (self.readyState !== 1 || i >= frames.length) { return; }
          var f = frames[i++];
          fire(self, et, "message", new MessageEvent("message", { data: payload(self, f), origin: abs.origin }));
          if (i < frames.length) {
            var gap = Date.parse(frames[i].time) - Date.parse(f.time);
            setTimeout(next, Math.max(0, Math.min(isNaN(gap) ? 0 : gap, 1000)));
          }
        };
        setTimeout(next, 0);
      }).catch(function () { if (self.readyState === 0) { fail(self, et); } });
    };
    WS.prototype.send = function () {
      if (this.readyState === 0) { throw new DOMException("Still in CONNECTING state.", "InvalidStateError"); }
    };
    WS.prototype.close = function (code, reason) {
      if (this.readyState >= 2) { return; }
      var self = this;
      this.readyState = 3;
      setTimeout(function () {
        var ev = new CloseEvent("close", { code: code || 1000, reason: reason || "", wasClean: true });
        if (typeof self.onclose === "function") { self.onclose(ev); }
        self.dispatchEvent(ev);
      }, 0);
    };
    WS.CONNECTING = WS.prototype.CONNECTING = 0;
    WS.OPEN = WS.prototype.OPEN = 1;
    WS.CLOSING = WS.prototype.CLOSING = 2;
    WS.CLOSED = WS.prototype.CLOSED = 3;
    window.WebSocket = WS;
  })();
  wrapCtor("Worker", "wkr_", false);
  wrapCtor("SharedWorker", "wkr_", false);
  wrapCtor("EventSource", "mp_", false);
  if (navigator.sendBeacon) { navigator.sendBeacon = function () { return true; }; }
  if (navigator.serviceWorker && navigator.serviceWorker.register) {
    navigator.serviceWorker.register = function () { return Promise.reject(new Error("service workers are off in replay")); };
  }
  var origWinOpen = window.open;
  window.open = function (url) {
    var args = Array.prototype.slice.call(arguments);
    if (url) { args[0] = rw(String(url), pageMod); }
    var w = origWinOpen.apply(this, args);
    install(w);
    return w;
  };

  // --- history ------------------------------------------------------------
  ["pushState", "replaceState"].forEach(function (fn) {
    var orig = History.prototype[fn];
    History.prototype[fn] = function (state, title, url) {
      if (url !== undefined && url !== null) { url = rw(String(url), pageMod); }
      return orig.call(this, state, title, url);
    };
  });

  // --- postMessage origins --------------------------------------------------
  var origPost = window.postMessage;
  window.postMessage = function (msg, targetOrigin, transfer) {
    // The recipient lives on the replay origin, never on the archived one.
    if (typeof targetOrigin === "string" && targetOrigin !== "*" && targetOrigin !== "/") { targetOrigin = "*"; }
    else if (targetOrigin && typeof targetOrigin === "object" && targetOrigin.targetOrigin) { targetOrigin.targetOrigin = "*"; }
    return origPost.call(this, msg, targetOrigin, transfer);
  };
  function fixMessageEvent(ev) {
    if (ev.origin !== replayOrigin) { return ev; }
    var origin;
    try { origin = ev.source && ev.source.__wb_loc ? ev.source.__wb_loc.origin : new URL(origURL()).origin; } catch (e) { return ev; }
    return new Proxy(ev, {
      get: function (t, p) {
        if (p === "origin") { return origin; }
        var v = Reflect.get(t, p, t);
        return typeof v === "function" ? v.bind(t) : v;
      }
    });
  }
  var origAdd = window.addEventListener;
  var wrapped = new WeakMap();
  window.addEventListener = function (type, fn, opts) {
    if (type === "message" && typeof fn === "function") {
      var w = wrapped.get(fn);
      if (!w) { w = function (ev) { return fn.call(this, fixMessageEvent(ev)); }; wrapped.set(fn, w); }
      return origAdd.call(this, type, w, opts);
    }
    return origAdd.call(this, type, fn, opts);
  };
  // window.onmessage = fn gets the same origin fix as addEventListener.
  var onmsg = Object.getOwnPropertyDescriptor(window, "onmessage") || Object.getOwnPropertyDescriptor(Window.prototype, "onmessage");
  if (onmsg && onmsg.set && onmsg.configurable) {
    Object.defineProperty(window, "onmessage", {
      configurable: true, enumerable: true,
      get: function () { return onmsg.get.call(window); },
      set: function (fn) {
        onmsg.set.call(window, typeof fn === "function" ? function (ev) { return fn.call(this, fixMessageEvent(ev)); } : fn);
      }
    });
  }
  var origRemove = window.removeEventListener;
  window.removeEventListener = function (type, fn, opts) {
    return origRemove.call(this, type, (type === "message" && wrapped.get(fn)) || fn, opts);
  };

  // --- element attributes and properties ----------------------------------
  var attrMods = {
    src: function (el) {
      var t = el.localName;
      if (t === "script") { return "js_"; }
      if (t === "iframe" || t === "frame") { return "if_"; }
      if (t === "img" || t === "input") { return "im_"; }
      return "oe_";
    },
    href: function (el) {
      var t = el.localName;
      if (t === "link") {
        var rel = (el.rel || "").toLowerCase();
        if (rel.indexOf("stylesheet") >= 0) { return "cs_"; }
        if (rel.indexOf("icon") >= 0) { return "im_"; }
        var as = (origGetAttr.call(el, "as") || "").toLowerCase();
        if (as === "script") { return "js_"; }
        if (as === "style") { return "cs_"; }
        if (as === "image" || as === "font") { return "im_"; }
        return "oe_";
      }
      if (t === "image" || t === "use") { return "im_"; }
      return pageMod;
    },
    action: function () { return pageMod; },
    formaction: function () { return pageMod; },
    poster: function () { return "im_"; },
    data: function (el) { return el.localName === "object" ? "oe_" : null; },
    background: function () { return "im_"; },
    codebase: function () { return "oe_"; }
  };
  function rwSrcset(v, mod) {
    return String(v).split(/,(?=\s*\S)/).map(function (part) {
      var m = /^(\s*)(\S+)(.*)$/.exec(part);
      return m ? m[1] + rw(m[2], mod) + m[3] : part;
    }).join(",");
  }
  function rwCSS(v) {
    return String(v).replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/gi, function (all, q, u) {
      return "url(" + q + rw(u, "im_") + q + ")";
    }).replace(/@import\s+(['"])([^'"]+)\1/gi, function (all, q, u) { return "@import " + q + rw(u, "cs_") + q; });
  }
  function rwAttr(el, name, value) {
    if (value === null || value === undefined) { return value; }
    name = String(name).toLowerCase();
    if (name === "srcset" || name === "imagesrcset") { return rwSrcset(value, "im_"); }
    if (name === "style") { return rwCSS(value); }
    if (name === "integrity") { return null; }
    var f = attrMods[name];
    if (!f) { return value; }
    var mod = f(el);
    return mod === null ? value : rw(String(value), mod);
  }
  var origGetAttr = Element.prototype.getAttribute;
  var unrwNames = { src: 1, href: 1, action: 1, formaction: 1, poster: 1, data: 1, background: 1 };
  // Scripts reading a URL attribute (routers, analytics) see the archived
  // URL, not the replay one.
  Element.prototype.getAttribute = function (name) {
    var v = origGetAttr.call(this, name);
    return (typeof v === "string" && unrwNames[String(name).toLowerCase()]) ? unrw(v) : v;
  };
  var origSetAttr = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    var v = rwAttr(this, name, value);
    if (v === null && String(name).toLowerCase() === "integrity") { return; }
    return origSetAttr.call(this, name, v);
  };
  var origSetAttrNS = Element.prototype.setAttributeNS;
  Element.prototype.setAttributeNS = function (ns, name, value) {
    var local = String(name).split(":").pop();
    return origSetAttrNS.call(this, ns, name, rwAttr(this, local, value));
  };
  var urlProps = [
    [HTMLImageElement, ["src", "srcset"]], [HTMLScriptElement, ["src"]], [HTMLLinkElement, ["href"]],
    [HTMLAnchorElement, ["href"]], [HTMLAreaElement, ["href"]], [HTMLIFrameElement, ["src"]],
    [HTMLMediaElement, ["src"]], [HTMLVideoElement, ["poster"]], [HTMLSourceElement, ["src", "srcset"]],
    [HTMLFormElement, ["action"]], [HTMLInputElement, ["src", "formAction"]], [HTMLButtonElement, ["formAction"]],
    [HTMLObjectElement, ["data"]], [HTMLEmbedElement, ["src"]], [HTMLTrackElement, ["src"]],
    [HTMLBaseElement, ["href"]], [window.HTMLFrameElement, ["src"]]
  ];
  urlProps.forEach(function (pair) {
    if (!pair[0]) { return; }
    var proto = pair[0].prototype;
    pair[1].forEach(function (prop) {
      var d = Object.getOwnPropertyDescriptor(proto, prop);
      if (!d || !d.set || !d.configurable) { return; }
      Object.defineProperty(proto, prop, {
        configurable: true, enumerable: d.enumerable,
        get: function () { var v = d.get.call(this); return prop === "srcset" ? v : unrw(v); },
        set: function (v) { d.set.call(this, rwAttr(this, prop.toLowerCase(), v)); }
      });
    });
  });
  var styleDesc = Object.getOwnPropertyDescriptor(CSSStyleDeclaration.prototype, "cssText");
  if (styleDesc && styleDesc.set) {
    Object.defineProperty(CSSStyleDeclaration.prototype, "cssText", {
      configurable: true, get: styleDesc.get,
      set: function (v) { styleDesc.set.call(this, rwCSS(v)); }
    });
  }
  var origSetProp = CSSStyleDeclaration.prototype.setProperty;
  CSSStyleDeclaration.prototype.setProperty = function (p, v, prio) {
    return origSetProp.call(this, p, typeof v === "string" ? rwCSS(v) : v, prio);
  };
  ["background", "backgroundImage", "listStyleImage", "borderImage", "borderImageSource", "cursor", "content", "maskImage"].forEach(function (p) {
    var d = Object.getOwnPropertyDescriptor(CSSStyleDeclaration.prototype, p);
    if (!d || !d.set) { return; }
    Object.defineProperty(CSSStyleDeclaration.prototype, p, {
      configurable: true, enumerable: d.enumerable, get: d.get,
      set: function (v) { d.set.call(this, typeof v === "string" ? rwCSS(v) : v); }
    });
  });

  // Fonts and rules made at run time: a FontFace source, a rule inserted
  // into a style sheet, a constructed sheet's text. Relative URLs in them
  // resolve against the replay host (a 404) and absolute ones are refused
  // by the CSP: rewritten, they load from the archive as the page's own
  // CSS does (im_, so a font a style sheet also names is fetched once).
  if (typeof window.FontFace === "function") {
    var OrigFontFace = window.FontFace;
    var WbFontFace = function FontFace(family, source, descriptors) {
      if (!new.target) { return OrigFontFace.apply(this, arguments); }
      return Reflect.construct(OrigFontFace, [family, typeof source === "string" ? rwCSS(source) : source, descriptors], new.target);
    };
    WbFontFace.prototype = OrigFontFace.prototype;
    try { Object.defineProperty(OrigFontFace.prototype, "constructor", { value: WbFontFace, writable: true, configurable: true }); } catch (e) {}
    window.FontFace = WbFontFace;
  }
  if (window.CSSStyleSheet) {
    var sheetProto = CSSStyleSheet.prototype;
    ["insertRule", "replace", "replaceSync", "addRule"].forEach(function (name) {
      var orig = sheetProto[name];
      if (typeof orig !== "function") { return; }
      sheetProto[name] = function () {
        var a = Array.prototype.slice.call(arguments);
        if (typeof a[0] === "string") { a[0] = rwCSS(a[0]); }
        if (name === "addRule" && typeof a[1] === "string") { a[1] = rwCSS(a[1]); }
        return orig.apply(this, a);
      };
    });
  }

  // --- HTML created from strings ------------------------------------------
  function rwTree(root) {
    var els = root.querySelectorAll ? root.querySelectorAll("*") : [];
    for (var i = 0; i < els.length; i++) { rwElement(els[i]); }
  }
  var rwNames = ["src", "href", "srcset", "imagesrcset", "action", "formaction", "poster", "data", "background", "style", "integrity"];
  function rwElement(el) {
    for (var j = 0; j < rwNames.length; j++) {
      var n = rwNames[j];
      if (!el.hasAttribute || !el.hasAttribute(n)) { continue; }
      var v = origGetAttr.call(el, n);
      var nv = rwAttr(el, n, v);
      if (nv === null) { el.removeAttribute(n); } else if (nv !== v) { origSetAttr.call(el, n, nv); }
    }
  }
  var tmplHTML = Object.getOwnPropertyDescriptor(Element.prototype, "innerHTML");
  function rwHTML(html) {
    if (typeof html !== "string" || html.indexOf("<") < 0) { return html; }
    var t = document.createElement("template");
    tmplHTML.set.call(t, html); // template content is inert: nothing loads
    rwTree(t.content);
    return tmplHTML.get.call(t);
  }
  ["innerHTML", "outerHTML"].forEach(function (p) {
    var d = Object.getOwnPropertyDescriptor(Element.prototype, p);
    if (!d || !d.set) { return; }
    Object.defineProperty(Element.prototype, p, {
      configurable: true, enumerable: d.enumerable, get: d.get,
      set: function (v) {
        var tag = this.localName;
        d.set.call(this, (tag === "script" || tag === "style") ? v : rwHTML(v));
        if (typeof v === "string" && /<(i?frame|object|embed)/i.test(v)) { installFrames(document); }
      }
    });
  });
  var origIAH = Element.prototype.insertAdjacentHTML;
  Element.prototype.insertAdjacentHTML = function (pos, html) {
    var r = origIAH.call(this, pos, rwHTML(html));
    if (typeof html === "string" && /<(i?frame|object|embed)/i.test(html)) { installFrames(document); }
    return r;
  };
  ["write", "writeln"].forEach(function (fn) {
    var orig = Document.prototype[fn];
    Document.prototype[fn] = function () {
      var s = Array.prototype.join.call(arguments, "");
      // document.write may carry half a tag: rewrite attributes textually.
      s = s.replace(/(\s(?:src|href|action|poster|background)\s*=\s*)(["']?)([^"'\s>]+)\2/gi, function (all, a, q, u) {
        return a + q + rw(u, /^\s*src/i.test(a) ? "oe_" : pageMod) + q;
      });
      var r = orig.call(this, s);
      if (/<(i?frame|object|embed)/i.test(s)) { installFrames(this); }
      return r;
    };
  });
  // Backstop for elements created in ways not covered above (the CSP has
  // already blocked any live fetch they tried; this makes them load).
  var observer = new MutationObserver(function (muts) {
    muts.forEach(function (m) {
      if (m.type === "attributes") { rwElement(m.target); return; }
      m.addedNodes.forEach(function (n) { if (n.nodeType === 1) { rwElement(n); rwTree(n); if (hasFrame(n)) { installFrames(n.parentNode || document); } } });
    });
  });
  var observed = { childList: true, subtree: true, attributes: true, attributeFilter: rwNames };
  observer.observe(document, observed);
  // Shadow trees, open or closed, are outside the document's observer and
  // the event path a closed one hides: rewrite and observe them as well.
  var origAttachShadow = Element.prototype.attachShadow;
  if (origAttachShadow) {
    Element.prototype.attachShadow = function () {
      var root = origAttachShadow.apply(this, arguments);
      try { observer.observe(root, observed); } catch (e) {}
      return root;
    };
  }
  ["innerHTML", "setHTMLUnsafe"].forEach(function (p) {
    if (!window.ShadowRoot) { return; }
    var d = Object.getOwnPropertyDescriptor(ShadowRoot.prototype, p);
    if (!d) { return; }
    if (typeof d.value === "function") {
      var f = d.value;
      ShadowRoot.prototype[p] = function (html) { var a = Array.prototype.slice.call(arguments); a[0] = rwHTML(html); return f.apply(this, a); };
      return;
    }
    if (!d.set || !d.configurable) { return; }
    Object.defineProperty(ShadowRoot.prototype, p, {
      configurable: true, enumerable: d.enumerable, get: d.get,
      set: function (v) { d.set.call(this, rwHTML(v)); }
    });
  });

  // Attribute nodes: a.getAttributeNode("href").value = url, or an Attr
  // made with createAttribute and attached, set the URL without going
  // through setAttribute.
  var attrDescs = {};
  ["value", "nodeValue", "textContent"].forEach(function (p) {
    var proto = p === "value" ? Attr.prototype : Node.prototype;
    var d = Object.getOwnPropertyDescriptor(proto, p);
    if (!d || !d.set || !d.configurable) { return; }
    attrDescs[p] = d;
    Object.defineProperty(proto, p, {
      configurable: true, enumerable: d.enumerable, get: d.get,
      set: function (v) {
        if (this.nodeType === 2 && this.ownerElement && typeof v === "string") {
          var nv = rwAttr(this.ownerElement, this.localName, v);
          if (nv !== null && nv !== undefined) { v = nv; }
        }
        d.set.call(this, v);
      }
    });
  });
  function afterAttrNode(proto, name) {
    var f = proto && proto[name];
    if (typeof f !== "function") { return; }
    proto[name] = function (a) {
      var r = f.apply(this, arguments);
      var el = a && a.ownerElement;
      if (el) { rwElement(el); }
      return r;
    };
  }
  afterAttrNode(Element.prototype, "setAttributeNode");
  afterAttrNode(Element.prototype, "setAttributeNodeNS");
  afterAttrNode(window.NamedNodeMap && NamedNodeMap.prototype, "setNamedItem");
  afterAttrNode(window.NamedNodeMap && NamedNodeMap.prototype, "setNamedItemNS");
  // Nodes from another document (DOMParser, XHR documents, templates)
  // carry URLs nothing rewrote: rewrite them as they come in.
  ["adoptNode", "importNode"].forEach(function (n) {
    var f = Document.prototype[n];
    Document.prototype[n] = function (node) {
      var r = f.apply(this, arguments);
      if (r && r.nodeType === 1) { rwElement(r); rwTree(r); } else if (r && r.nodeType === 11) { rwTree(r); }
      return r;
    };
  });
  // Last check before a link is followed: whatever way its href was set,
  // a click (real, .click(), or a dispatched event) on a link whose target
  // is not a replay URL rewrites it first; the browser follows the link
  // after the event has gone through this listener, the first one.
  function fixLink(el) {
    if (!el || el.nodeType !== 1 || !/^(a|area)$/i.test(el.localName)) { return; }
    var v = origGetAttr.call(el, "href");
    if (v === null) { return; }
    var nv = rwAttr(el, "href", v);
    if (nv !== null && framedTarget(el.target)) { nv = toFramed(nv); }
    if (nv !== v && nv !== null) { origSetAttr.call(el, "href", nv); }
  }
  // A form or link aimed at a frame of this page loads there as a framed
  // capture (if_), not as a top-level page with the banner's mode.
  function framedTarget(name) {
    if (!name || /^_(self|top|parent|blank)$/i.test(name)) { return false; }
    var fs = document.querySelectorAll("iframe[name],frame[name]");
    for (var i = 0; i < fs.length; i++) { if (fs[i].name === name) { return true; } }
    return false;
  }
  function toFramed(v) {
    var u = unrw(v);
    return /^https?:\/\//i.test(u) ? rw(u, "if_") : v;
  }
  window.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || form.localName !== "form") { return; }
    var target = (e.submitter && e.submitter.getAttribute && e.submitter.getAttribute("formtarget")) || form.target;
    if (!framedTarget(target)) { return; }
    var a = origGetAttr.call(form, "action");
    if (a !== null) { origSetAttr.call(form, "action", toFramed(a)); }
  }, true);
  function fixClick(e) {
    var path = e.composedPath ? e.composedPath() : [e.target];
    for (var i = 0; i < path.length; i++) { fixLink(path[i]); }
  }
  window.addEventListener("click", fixClick, true);
  window.addEventListener("auxclick", fixClick, true);
  var origClick = HTMLElement.prototype.click;
  HTMLElement.prototype.click = function () { fixLink(this); return origClick.apply(this, arguments); };
  var origDispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (ev) {
    if (ev && (ev.type === "click" || ev.type === "auxclick")) { fixLink(this); }
    return origDispatch.apply(this, arguments);
  };

  // --- banner ---------------------------------------------------------------
  function banner() {
    if (pageMod !== "" || cfg.child || window.top !== window || !document.body) { return; }
    var host = document.createElement("warcbox-banner");
    host.style.cssText = "all:initial;position:fixed;z-index:2147483647;right:8px;bottom:8px;";
    var root = host.attachShadow ? host.attachShadow({ mode: "closed" }) : host;
    var d = ts.slice(0, 4) + "-" + ts.slice(4, 6) + "-" + ts.slice(6, 8) + " " + ts.slice(8, 10) + ":" + ts.slice(10, 12) + ":" + ts.slice(12, 14) + " UTC";
    var box = document.createElement("div");
    box.setAttribute("style", "font:12px/1.4 system-ui,sans-serif;background:#1d2b3a;color:#fff;padding:6px 10px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.3);max-width:420px;opacity:.92");
    var a = function (href, text) {
      var l = document.createElement("a");
      origSetAttr.call(l, "href", href);
      l.textContent = text;
      l.setAttribute("style", "color:#9cf;margin-left:8px");
      return l;
    };
    var title = document.createElement("span");
    title.textContent = "Archived " + d;
    title.title = cfg.url;
    box.appendChild(title);
    var orig = document.createElement("div");
    orig.textContent = cfg.url.length > 70 ? cfg.url.slice(0, 67) + "\u2026" : cfg.url;
    orig.title = cfg.url;
    orig.setAttribute("style", "font-family:ui-monospace,monospace;font-size:11px;opacity:.8;white-space:nowrap;overflow:hidden;text-overflow:ellipsis");
    box.appendChild(orig);
    if (cfg.prev) { box.appendChild(a(prefix + cfg.prev + "/" + cfg.url, "\u2039 previous")); }
    if (cfg.next) { box.appendChild(a(prefix + cfg.next + "/" + cfg.url, "next \u203a")); }
    box.appendChild(a(prefix + "*/" + cfg.url, cfg.count === "1" ? "1 capture" : (cfg.count ? cfg.count + " " : "") + "captures"));
    box.appendChild(a(prefix, cfg.coll));
    var x = document.createElement("button");
    x.textContent = "\u00d7";
    x.setAttribute("aria-label", "hide banner");
    x.setAttribute("style", "margin-left:8px;background:none;border:0;color:#fff;cursor:pointer;font-size:14px");
    x.onclick = function () { host.remove(); };
    box.appendChild(x);
    root.appendChild(box);
    document.documentElement.appendChild(host);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", banner);
  } else { banner(); }
})();
