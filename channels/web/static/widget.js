/*
 * Methodewijzer widget: one tag on a host page,
 *   <script src="(address of the assistant)/widget.js" defer
 *           data-title="..." data-accent="#12406f" data-side="right" data-question="..."></script>
 *
 * It adds a launcher button and a panel. The launcher and the panel frame live in a shadow
 * root (the host's CSS cannot reach in, ours cannot leak out; styles are a constructed
 * stylesheet, so a strict host CSP does not block them). The chat itself is an iframe of our
 * embed view (/embed): its scripts, storage and identity stay on our origin, and the server's
 * frame-ancestors header decides which sites may show it. The launcher first asks
 * /widget/status (CORS, listed origins only) whether this site is allowed; if not, it says the
 * assistant is not available here and no chat is loaded. No request leaves for a third party.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__methodewijzerWidget) return;
  window.__methodewijzerWidget = true;

  var BASE = new URL(".", script.src).href; // the assistant, also under a path prefix
  var ORIGIN = new URL(BASE).origin;
  var data = script.dataset;
  var title = (data.title || "Methodewijzer").slice(0, 80);
  var name = /^Methodewijzer/.test(title) ? title : "Methodewijzer: " + title;
  var accent = /^#[0-9a-fA-F]{6}$/.test(data.accent || "") ? data.accent : "#12406f";
  var side = data.side === "left" ? "left" : "right";

  // Text on the accent colour: white or near-black, whichever reads better (WCAG contrast).
  function luminance(hex) {
    var rgb = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  var onAccent = 1.05 / (luminance(accent) + 0.05) >= 4.5 ? "#ffffff" : "#111111";

  var CSS =
    ":host{all:initial}" +
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}" +
    ".launcher{position:fixed;bottom:20px;" + side + ":20px;z-index:2147483000;display:flex;" +
    "align-items:center;gap:8px;min-height:48px;padding:12px 18px;border:2px solid #fff;" +
    "border-radius:24px;background:" + accent + ";color:" + onAccent + ";font-size:16px;" +
    "font-weight:600;cursor:pointer;box-shadow:0 4px 16px rgb(0 0 0 / 25%)}" +
    ".launcher:focus-visible,.close:focus-visible{outline:3px solid #f2b705;outline-offset:2px}" +
    ".dot{display:none;width:12px;height:12px;border-radius:50%;background:#c0161b;" +
    "border:2px solid #fff}" +
    ".unread .dot{display:inline-block}" +
    ".panel{position:fixed;bottom:84px;" + side + ":20px;z-index:2147483001;display:flex;" +
    "flex-direction:column;width:min(400px,calc(100vw - 40px));height:min(620px,calc(100vh - 110px));" +
    "background:#fff;border:1px solid #c5ced8;border-radius:14px;overflow:hidden;" +
    "box-shadow:0 8px 32px rgb(0 0 0 / 30%)}" +
    ".panel[hidden]{display:none}" +
    ".bar{display:flex;justify-content:flex-end;padding:4px;background:#0d2f52}" +
    ".close{min-width:44px;min-height:36px;border:0;border-radius:8px;background:transparent;" +
    "color:#fff;font-size:15px;cursor:pointer}" +
    "iframe{flex:1;width:100%;border:0}" +
    ".note{margin:0;padding:20px;color:#1b2631;font-size:16px;line-height:1.5}" +
    "@media (prefers-reduced-motion:no-preference){.panel{animation:in .18s ease-out}}" +
    "@keyframes in{from{opacity:0;transform:translateY(12px)}}" +
    "@media (max-width:479px){.panel{inset:0;width:100vw;height:100vh;height:100dvh;" +
    "border-radius:0;border:0}}";

  var host = document.createElement("div");
  host.setAttribute("data-methodewijzer", "");
  var root = host.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in root && window.CSSStyleSheet) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    var style = document.createElement("style");
    style.textContent = CSS;
    root.appendChild(style);
  }

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "launcher";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "mw-panel");
  var dot = document.createElement("span");
  dot.className = "dot";
  dot.setAttribute("aria-hidden", "true");
  var label = document.createElement("span");
  label.textContent = title;
  launcher.appendChild(label);
  launcher.appendChild(dot);

  var panel = document.createElement("div");
  panel.className = "panel";
  panel.id = "mw-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", name);
  panel.hidden = true;
  var bar = document.createElement("div");
  bar.className = "bar";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.textContent = "Sluiten";
  close.setAttribute("aria-label", "Sluit de Methodewijzer");
  bar.appendChild(close);
  panel.appendChild(bar);

  var frame = null;
  var state = "checking"; // -> "allowed" | "blocked"
  var unread = false;
  var wantOpen = false; // clicked before the status check answered

  // Where the browser blocks storage in the chat frame, this page keeps the shown messages
  // (not the identity: that is an HttpOnly partitioned cookie of the assistant).
  var HISTORY_KEY = "methodewijzer.widget.history";
  function keptHistory() {
    try {
      return JSON.parse(window.localStorage.getItem(HISTORY_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }
  function keep(value) {
    try {
      window.localStorage.setItem(HISTORY_KEY, value);
    } catch (e) {
      /* no storage here either: the conversation is shown until the page reloads */
    }
  }

  function setName() {
    var extra = state === "blocked" ? " (niet beschikbaar op deze site)" : "";
    launcher.setAttribute("aria-label", name + extra + (unread ? ", nieuw antwoord" : ""));
    launcher.classList.toggle("unread", unread);
  }

  function open() {
    if (state === "checking") {
      wantOpen = true;
      return;
    }
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    unread = false;
    setName();
    if (state === "blocked") {
      if (!panel.querySelector(".note")) {
        var note = document.createElement("p");
        note.className = "note";
        note.setAttribute("role", "status");
        note.textContent = "De Methodewijzer is op deze site niet beschikbaar.";
        panel.appendChild(note);
      }
      close.focus();
      return;
    }
    if (!frame) {
      var query = new URLSearchParams({ host: window.location.origin });
      if (data.title) query.set("title", title);
      if (data.accent) query.set("accent", accent);
      if (data.question) query.set("question", data.question.slice(0, 300));
      frame = document.createElement("iframe");
      frame.title = name;
      frame.src = BASE + "embed?" + query.toString();
      frame.addEventListener("load", function () {
        if (!panel.hidden) focusChat();
      });
      panel.appendChild(frame);
    }
    focusChat();
  }

  function focusChat() {
    if (!frame) return;
    frame.focus();
    if (frame.contentWindow) frame.contentWindow.postMessage("methodewijzer:focus", ORIGIN);
  }

  function shut() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open();
    else shut();
  });
  close.addEventListener("click", shut);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape") shut();
  });
  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== ORIGIN) return;
    var message = event.data || {};
    if (message.source !== "methodewijzer") return;
    if (message.type === "close") shut();
    if (message.type === "ready") {
      var reply = { source: "methodewijzer-host", type: "history", entries: keptHistory() };
      frame.contentWindow.postMessage(reply, ORIGIN);
    }
    if (message.type === "history" && Array.isArray(message.entries)) {
      keep(JSON.stringify(message.entries.slice(-300)));
    }
    if (message.type === "answer" && panel.hidden) {
      unread = true;
      setName();
    }
  });

  root.appendChild(launcher);
  root.appendChild(panel);
  setName();
  (document.body || document.documentElement).appendChild(host);

  fetch(BASE + "widget/status", { mode: "cors", credentials: "omit", cache: "no-store" })
    .then(function (response) {
      return response.ok ? response.json() : { available: false };
    })
    .catch(function () {
      return { available: false };
    })
    .then(function (status) {
      state = status && status.available === true ? "allowed" : "blocked";
      host.setAttribute("data-state", state);
      setName();
      if (wantOpen) open();
    });
})();
