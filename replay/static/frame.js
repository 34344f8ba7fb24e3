// warcbox top frame: the banner, address bar, history buttons, timeline,
// page list and full-text search around the archived page, which runs in
// the iframe on the archived-content origin and so cannot reach any of it.
// Everything archived (titles, URLs, snippets) goes in as text, never as
// markup.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("wb-config").textContent);
  var frame = document.getElementById("wb-frame");
  var contentOrigin = cfg.contentOrigin || location.origin;
  var cur = { url: cfg.url, ts: cfg.ts };
  var timelineURL = null;
  var $ = function (id) { return document.getElementById(id); };

  function utc(ts) {
    return ts.slice(0, 4) + "-" + ts.slice(4, 6) + "-" + ts.slice(6, 8) + " " +
      ts.slice(8, 10) + ":" + ts.slice(10, 12) + ":" + ts.slice(12, 14) + " UTC";
  }
  function contentURL(ts, url) { return (cfg.contentOrigin || "") + "/" + cfg.coll + "/" + ts + "mp_/" + url; }
  function topPath(ts, url) { return "/" + cfg.coll + "/" + ts + "/" + url; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function getJSON(path, params) {
    var q = new URLSearchParams(params);
    return fetch(path + "?" + q.toString(), { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) { throw new Error(j && j.error ? j.error : r.status + " " + r.statusText); }
        return j;
      });
    });
  }

  // show records the capture now in the frame: banner, address bar, top
  // URL (same origin, replaceState) and timeline.
  function show(url, ts, title) {
    cur = { url: url, ts: ts };
    $("wb-url").value = url;
    $("wb-when").textContent = utc(ts);
    $("wb-original").textContent = url;
    document.title = (title ? title + " · " : "") + url + " · archived " + utc(ts) + " · warcbox";
    var path = topPath(ts, url);
    if (location.pathname + location.search !== path) {
      try { history.replaceState(null, "", path); } catch (e) { /* a URL the history API refuses: keep the old one */ }
    }
    loadTimeline(url, ts);
  }

  // open loads a capture into the frame: a navigation of the frame alone,
  // so the back button returns to the previous one.
  function open(url, ts) {
    $("wb-banner").classList.remove("wb-unknown");
    uiLoad = true;
    frame.src = contentURL(ts, url);
    show(url, ts, "");
  }

  function markCurrent(item) {
    var caps = $("wb-timeline").querySelectorAll("a[data-ts]");
    for (var i = 0; i < caps.length; i++) {
      var on = caps[i].dataset.ts === cur.ts && caps[i].dataset.url === item.url;
      caps[i].classList.toggle("current", on);
      if (on) { caps[i].setAttribute("aria-current", "true"); } else { caps[i].removeAttribute("aria-current"); }
    }
  }

  function loadTimeline(url, ts) {
    var box = $("wb-timeline");
    if (timelineURL === url) { updateBannerFrom(box._caps || []); markCurrent({ url: url }); return; }
    timelineURL = url;
    getJSON("/_/api/captures", { coll: cfg.coll, url: url }).then(function (ans) {
      if (timelineURL !== url) { return; }
      box.textContent = "";
      box._caps = ans.captures;
      var label = el("span", ans.captures.length === 1 ? "1 capture: " : ans.captures.length + " captures: ", "muted");
      if (!ans.captures.length) { label.textContent = "Not archived in " + cfg.coll; }
      box.appendChild(label);
      var list = el("ol");
      ans.captures.forEach(function (c) {
        var li = el("li");
        var a = el("a", c.when);
        a.href = topPath(c.timestamp, c.url);
        a.dataset.ts = c.timestamp;
        a.dataset.url = c.url;
        a.title = c.url;
        a.addEventListener("click", function (ev) {
          if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) { return; }
          ev.preventDefault();
          open(c.url, c.timestamp);
        });
        li.appendChild(a);
        li.appendChild(el("span", c.status || "–", "status s" + (c.status || "").charAt(0)));
        li.appendChild(el("span", c.mime || "", "mime"));
        if (c.truncated) { li.appendChild(el("span", "body cut (" + c.truncated + ")", "cut")); }
        list.appendChild(li);
      });
      box.appendChild(list);
      if (ans.more) { box.appendChild(el("span", "(first " + ans.captures.length + ")", "muted")); }
      updateBannerFrom(ans.captures);
      markCurrent({ url: url });
    }).catch(function (e) { box.textContent = "Captures: " + e.message; });
  }

  // The status and type in the banner come from the index, not the page.
  function updateBannerFrom(caps) {
    var found = null;
    for (var i = 0; i < caps.length; i++) {
      if (caps[i].timestamp === cur.ts) { found = caps[i]; break; }
    }
    if ($("wb-banner").classList.contains("wb-unknown")) { return; }
    $("wb-status").textContent = found ? found.status || "–" : "";
    // a record whose body was cut (WARC-Truncated) says so: the crawl log
    // reported it, the page shown is not all of it
    $("wb-mime").textContent = found ? (found.mime || "") + (found.truncated ? " · body cut (" + found.truncated + ")" : "") :
      "(no capture of this URL at this time)";
  }

  // After a navigation inside the frame, only what the new document says
  // (framed.js, below) tells which capture it is. A document that says
  // nothing (an image, a PDF, a sandboxed raw response opened in the frame,
  // a replay error page) must not leave the banner naming the page shown
  // before. The frame's load event is the browser's, which no page can
  // fake: after each load this UI did not start, the new document is asked
  // which capture it is; one that has not answered within a second is
  // taken for such a document (a framed page answering later still puts
  // its capture back in the banner).
  var uiLoad = true; // the next load is one this UI started
  var spoke = false; // framed.js spoke since the last load
  var askTimer = null;
  function unknownDocument() {
    $("wb-banner").classList.add("wb-unknown");
    $("wb-when").textContent = "–";
    $("wb-original").textContent = "–";
    $("wb-status").textContent = "";
    $("wb-mime").textContent = "(the frame now holds a document replay did not frame, such as an image, a file or a raw response: which capture it is, is not known)";
  }
  frame.addEventListener("load", function () {
    var ours = uiLoad;
    uiLoad = false;
    spoke = false;
    clearTimeout(askTimer);
    if (ours) { return; }
    try { frame.contentWindow.postMessage({ warcbox: "which" }, contentOrigin); } catch (e) { /* gone */ }
    askTimer = setTimeout(function () { if (!spoke) { unknownDocument(); } }, 1000);
  });
  // The template leaves the frame empty: its first load must come after
  // the listener above, or a deferred script loaded late would take the
  // frame's next navigation for this UI's own.
  frame.src = frame.getAttribute("data-src");

  // The content frame says where it went (framed.js). Only messages from
  // that frame's window and origin count, and only when the index holds
  // the capture they name: the page's own scripts share that window and
  // could send one, but cannot make the banner name what is not archived.
  // Status and type always come from the index.
  window.addEventListener("message", function (ev) {
    if (ev.source !== frame.contentWindow || ev.origin !== contentOrigin) { return; }
    var d = ev.data;
    if (d && (d.warcbox === "framed" || d.warcbox === "notfound")) { spoke = true; }
    if (d && d.warcbox === "notfound" && typeof d.url === "string") {
      // replay's not-found page (a page could send this too: it can only
      // make the banner say "not archived", never name a capture)
      cur = { url: d.url.slice(0, 8192), ts: cur.ts };
      $("wb-url").value = cur.url;
      $("wb-original").textContent = cur.url;
      $("wb-when").textContent = "–";
      $("wb-banner").classList.add("wb-unknown");
      $("wb-status").textContent = "";
      $("wb-mime").textContent = "(not archived in " + cfg.coll + ")";
      loadTimeline(cur.url, cur.ts);
      return;
    }
    if (!d || d.warcbox !== "framed" || typeof d.url !== "string" || typeof d.ts !== "string" ||
        !/^\d{14}$/.test(d.ts) || d.url.length > 8192) { return; }
    if (d.url === cur.url && d.ts === cur.ts && !$("wb-banner").classList.contains("wb-unknown")) { return; }
    var title = typeof d.title === "string" ? d.title.slice(0, 300) : "";
    getJSON("/_/api/captures", { coll: cfg.coll, url: d.url }).then(function (ans) {
      for (var i = 0; i < ans.captures.length; i++) {
        if (ans.captures[i].timestamp === d.ts) {
          $("wb-banner").classList.remove("wb-unknown");
          show(ans.captures[i].url, d.ts, title);
          return;
        }
      }
    }).catch(function () { /* unverifiable: the banner keeps the last capture */ });
  });

  $("wb-back").addEventListener("click", function () { history.back(); });
  $("wb-forward").addEventListener("click", function () { history.forward(); });
  $("wb-reload").addEventListener("click", function () {
    // cross-origin: the frame's location may be set, not read
    uiLoad = true;
    frame.contentWindow.location.replace(contentURL(cur.ts, cur.url));
  });
  $("wb-address").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var u = $("wb-url").value.trim();
    if (!u) { return; }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) { u = "http://" + u; }
    // the closest capture to the one shown; replay redirects the frame to it
    open(u, cur.ts);
  });
  $("wb-toggle").addEventListener("click", function () {
    var open = document.body.classList.toggle("side-closed");
    this.setAttribute("aria-expanded", open ? "false" : "true");
  });

  function pageItem(p, extra) {
    var li = el("li");
    var a = el("a", p.title || p.url);
    a.href = topPath(p.timestamp, p.url);
    a.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) { return; }
      ev.preventDefault();
      open(p.url, p.timestamp);
    });
    li.appendChild(a);
    if (extra) { li.appendChild(extra); }
    var meta = el("div", null, "meta");
    meta.appendChild(el("span", p.url, "url"));
    meta.appendChild(el("span", p.when, "when"));
    meta.appendChild(el("span", p.status || "–", "status s" + (p.status || "").charAt(0)));
    meta.appendChild(el("span", p.mime || "", "mime"));
    li.appendChild(meta);
    return li;
  }

  getJSON("/_/api/pages", { coll: cfg.coll }).then(function (ans) {
    var list = $("wb-pages");
    list.textContent = "";
    ans.pages.forEach(function (p) { list.appendChild(pageItem(p)); });
    if (!ans.pages.length) { list.appendChild(el("li", "No HTML pages indexed.", "muted")); }
    if (ans.more) { list.appendChild(el("li", "Showing the first " + ans.pages.length + " pages.", "muted")); }
  }).catch(function (e) { $("wb-pages").textContent = "Pages: " + e.message; });

  // searchNote says how far the collection's search index is, when it
  // does not cover every page yet.
  function searchNote(ix) {
    if (!ix) { return ""; }
    var n = function (x) { return (x || 0).toLocaleString("en"); };
    switch (ix.state) {
    case "pending":
    case "building":
      return "The search index is being built (" + n(ix.files_done) + " of " + n(ix.files) + " files read, " +
        n(ix.pages) + " pages searchable so far): results may be incomplete. Search again in a moment.";
    case "partial":
      return "Search covers " + n(ix.pages) + " pages; " + n(ix.pages_left_out) + " were left out (" + (ix.reason || "bounds") + ").";
    case "off":
      return "Full-text search is off for this collection: " + (ix.reason || "") + ".";
    }
    return "";
  }

  $("wb-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = $("wb-q").value.trim();
    var box = $("wb-results");
    if (!q) { box.textContent = ""; return; }
    box.textContent = "Searching…";
    getJSON("/_/api/search", { coll: cfg.coll, q: q }).then(function (ans) {
      box.textContent = "";
      box.appendChild(el("h2", ans.hits.length ? "Pages with “" + q + "”" : "No page has “" + q + "”"));
      var list = el("ol", null, "hits");
      ans.hits.forEach(function (h) {
        var snip = el("p", null, "snippet");
        (h.snippet_parts || []).forEach(function (part) {
          snip.appendChild(part.match ? el("mark", part.text) : document.createTextNode(part.text));
        });
        list.appendChild(pageItem(h, snip));
      });
      box.appendChild(list);
      if (ans.more) { box.appendChild(el("p", "More pages match: add words to narrow it.", "muted")); }
      var note = searchNote(ans.index);
      if (note) { box.appendChild(el("p", note, "muted search-state")); }
    }).catch(function (e) { box.textContent = "Search: " + e.message; });
  });

  show(cur.url, cur.ts, "");
})();
