// Voisinage live client: one socket per tab at /ws/, reconnecting with backoff.
// Pages work without it; it only refreshes regions marked data-live-on="<event types>".
(function () {
  "use strict";
  var path = document.body.getAttribute("data-live-socket");
  if (!path || !("WebSocket" in window)) { return; }
  var delay = 1000;
  var maxDelay = 30000;
  var socket = null;
  var refreshing = {};
  var again = {};  // an event came while refreshing: refresh once more afterwards

  function announce(text) {
    var status = document.getElementById("live-status");
    if (status && text) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
  }

  // A selector that finds the focused control again in the fresh copy of a region.
  function keyOf(el) {
    if (el.id) { return "#" + CSS.escape(el.id); }
    if (el.form && el.form.getAttribute("action")) {
      var tag = el.tagName.toLowerCase();
      return 'form[action="' + CSS.escape(el.form.getAttribute("action")) + '"] ' +
        (el.name ? tag + '[name="' + CSS.escape(el.name) + '"]' : tag);
    }
    if (el.getAttribute("href")) { return 'a[href="' + CSS.escape(el.getAttribute("href")) + '"]'; }
    return null;
  }

  // Re-fetch this page and swap in the fresh copy of one region (same id), keeping the
  // keyboard focus where it was.
  // onlyIfChanged: leave the region (and the screen reader) alone when its text is the same.
  function refresh(region, onlyIfChanged) {
    var id = region.id;
    if (!id) { return; }
    if (refreshing[id]) { again[id] = true; return; }
    refreshing[id] = true;
    // data-live-src: a URL that renders just this region (cheaper than the whole page).
    var source = region.getAttribute("data-live-src") || window.location.href;
    fetch(source, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        var current = document.getElementById(id);
        if (onlyIfChanged === true && fresh && current && fresh.textContent === current.textContent) {
          return;
        }
        if (fresh && current) {
          var focused = current.contains(document.activeElement) ? document.activeElement : null;
          var key = focused && keyOf(focused);
          // Keep what the person was typing in the region (a refresh must lose nothing).
          current.querySelectorAll("textarea, input:not([type=hidden]):not([type=submit])").forEach(function (old) {
            var k = keyOf(old);
            var twin = k && fresh.querySelector(k);
            if (!twin) { return; }
            if (old.type === "checkbox" || old.type === "radio") { twin.checked = old.checked; }
            else if (old.value !== old.defaultValue) { twin.value = old.value; }
          });
          current.replaceWith(fresh);
          document.dispatchEvent(new CustomEvent("voisinage:refreshed", { detail: { id: id } }));
          if (focused) {
            var target = key && fresh.querySelector(key);
            if (!target) { fresh.setAttribute("tabindex", "-1"); target = fresh; }
            target.focus();
          }
          fresh.classList.add("live-updated");
          announce(fresh.getAttribute("data-live-announce") || document.body.getAttribute("data-live-updated"));
        }
      })
      .catch(function () { /* the next event or reconnect will try again */ })
      .then(function () {
        refreshing[id] = false;
        if (again[id]) {
          again[id] = false;
          var el = document.getElementById(id);
          if (el) { refresh(el); }
        }
      });
  }

  function regionsFor(type) {
    return Array.prototype.filter.call(document.querySelectorAll("[data-live-on]"), function (el) {
      return el.getAttribute("data-live-on").split(/\s+/).indexOf(type) !== -1;
    });
  }

  // data-live-filter="<conversation id>": only events about that conversation refresh it.
  function concerns(region, frame) {
    var only = region.getAttribute("data-live-filter");
    var unless = region.getAttribute("data-live-unless");  // e.g. "room": not for room traffic
    if (unless && frame.data && frame.data[unless]) { return false; }
    return !only || (frame.data && String(frame.data.conversation_id) === only);
  }

  function onFrame(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    if (frame.type === "hello") {
      // After a reconnect we may have missed events: refresh every live region.
      if (socket && socket.wasOpen) { document.querySelectorAll("[data-live-on]").forEach(refresh); }
      // On the first connection, an event may have come between the page's rendering and the
      // socket joining its groups (a slow tablet): regions marked data-live-catchup refresh
      // once (one more request; worth it where a missed change matters, e.g. "a volunteer
      // is coming").
      else {
        document.querySelectorAll("[data-live-on][data-live-catchup]").forEach(function (region) {
          refresh(region, true);
        });
      }
      socket.wasOpen = true;
      document.body.setAttribute("data-live", "connected");
      return;
    }
    regionsFor(frame.type).filter(function (region) { return concerns(region, frame); }).forEach(refresh);
    document.dispatchEvent(new CustomEvent("voisinage:live", { detail: frame }));
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var wasOpen = socket ? socket.wasOpen : false;
    socket = new WebSocket(scheme + window.location.host + path);
    socket.wasOpen = wasOpen;
    socket.addEventListener("open", function () { delay = 1000; });
    if (!window.voisinageKeepAlive) {
      // Keeps proxies from closing a quiet socket, and tells presence we are still here.
      window.voisinageKeepAlive = window.setInterval(function () {
        if (socket && socket.readyState === 1) { socket.send('{"type":"ping"}'); }
      }, 45000);
    }
    socket.addEventListener("message", onFrame);
    socket.addEventListener("close", function (event) {
      document.body.setAttribute("data-live", "disconnected");
      if (event.code === 4401) { return; }  // signed out: do not insist
      var wait = delay + Math.floor(Math.random() * 500);
      delay = Math.min(delay * 2, maxDelay);
      window.setTimeout(connect, wait);
    });
  }

  window.voisinageLive = {
    send: function (frame) { if (socket && socket.readyState === 1) { socket.send(JSON.stringify(frame)); } }
  };
  connect();
})();
