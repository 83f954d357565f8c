/*
 * Methodewijzer chat page. Plain JavaScript, no build step, no external requests.
 *
 * The page talks only to its own server (POST api/chat), which forwards to the Rasa REST
 * channel. The server decides who is talking (an HttpOnly cookie for this page; a token that the
 * embed view keeps, since the widget runs inside other sites). The rendered messages are kept in
 * localStorage under the server's conversation key, so a reload shows the same conversation.
 *
 * The same script runs the widget's embed view (embed.html, <html data-mode="embed">): compact,
 * and it tells the widget on the host page (postMessage) about new answers and Esc.
 *
 * Security: every text from the user or the bot is put in the page with textContent or
 * createTextNode, never as HTML. Only **bold**, newlines and list lines are interpreted.
 */
(function () {
  "use strict";

  var EMBED = document.documentElement.getAttribute("data-mode") === "embed";
  var PREFIX = EMBED ? "methodewijzer.embed." : "methodewijzer.";
  var OWNER_KEY = PREFIX + "conversation"; // whose history is saved (page: server's key)
  var HISTORY_KEY = PREFIX + "history";
  var TOKEN_KEY = PREFIX + "token"; // embed only: the identity token the server issued
  var TOKEN_HEADER = "X-Methodewijzer-Token";
  var MAX_HISTORY = 300;
  var MAX_MESSAGE = 2000;
  var REQUEST_TIMEOUT_MS = 45000; // the server itself gives up on Rasa after 30 s
  // Mirrors knowledge/payloads.py and the plan id of knowledge/plan/files.py (a test checks).
  var PAYLOAD = { TYPE: "type", PLAN_ID: "plan_id", PLAN: "plan", CHART: "chart" };
  var PLAN_ID = /^[A-Za-z0-9_-]{20,64}$/;
  var UNREACHABLE = "De assistent is even niet bereikbaar. Probeer het zo opnieuw.";
  var GREETING = "hallo";
  var RESET = "/restart"; // Rasa forgets the conversation; the identity (and plans) stay
  var params = new URLSearchParams(window.location.search);
  var HOST = EMBED ? params.get("host") || "" : ""; // the host page's origin, for postMessage

  var els = {};
  var history = [];
  var busy = false;
  var buttonRows = new WeakMap(); // history entry -> its row of buttons (not saved)

  // --- storage (may be unavailable, e.g. in a locked-down browser: then keep it in memory) ---

  var memory = {};
  var storage = {
    get: function (key) {
      try {
        return window.localStorage.getItem(key);
      } catch (e) {
        return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      }
    },
    set: function (key, value) {
      memory[key] = value;
      try {
        window.localStorage.setItem(key, value);
      } catch (e) {
        /* quota or privacy mode: the in-memory copy still works for this page */
      }
    },
    remove: function (key) {
      delete memory[key];
      try {
        window.localStorage.removeItem(key);
      } catch (e) {
        /* ignore */
      }
    },
  };

  function currentOwner() {
    // Page: the server's conversation key (meta tag). Embed: the token it keeps.
    if (EMBED) return storage.get(TOKEN_KEY) || "";
    var meta = document.querySelector('meta[name="methodewijzer-conversation"]');
    var key = meta ? meta.getAttribute("content") : "";
    return /^[0-9a-f]{8,64}$/.test(key || "") ? key : storage.get(OWNER_KEY) || "";
  }

  function tellHost(type, entries) {
    if (EMBED && HOST && window.parent !== window) {
      var message = { source: "methodewijzer", type: type };
      if (entries) message.entries = entries;
      window.parent.postMessage(message, HOST);
    }
  }

  // Embedded where the browser blocks our storage (third-party cookies restricted): the
  // identity is a partitioned cookie, and the widget on the host page keeps the shown messages.
  var OWN_STORAGE = (function () {
    try {
      return !!window.localStorage;
    } catch (e) {
      return false;
    }
  })();
  var HOST_KEEPS_HISTORY = EMBED && !OWN_STORAGE;

  function historyFromHost(done) {
    var timer = window.setTimeout(finish, 1500, []);
    function finish(entries) {
      window.clearTimeout(timer);
      window.removeEventListener("message", onMessage);
      done(Array.isArray(entries) ? entries.filter(validEntry) : []);
    }
    function onMessage(event) {
      var data = event.data || {};
      if (event.source === window.parent && event.origin === HOST && data.type === "history") {
        finish(data.entries);
      }
    }
    window.addEventListener("message", onMessage);
    tellHost("ready");
  }

  function validEntry(entry) {
    if (!entry || typeof entry !== "object") return false;
    if (entry.who === "user") return typeof entry.text === "string";
    if (entry.who !== "bot") return false;
    if (entry.text !== undefined && typeof entry.text !== "string") return false;
    if (entry.plan !== undefined && !(typeof entry.plan === "string" && PLAN_ID.test(entry.plan))) {
      return false;
    }
    if (entry.chart !== undefined && !(typeof entry.chart === "string" && PLAN_ID.test(entry.chart))) {
      return false;
    }
    if (entry.buttons !== undefined && !Array.isArray(entry.buttons)) return false;
    return true;
  }

  function loadHistory() {
    var owner = currentOwner();
    if (!owner || storage.get(OWNER_KEY) !== owner) {
      storage.remove(HISTORY_KEY); // another identity's conversation: not shown
      storage.set(OWNER_KEY, owner);
      return [];
    }
    try {
      var parsed = JSON.parse(storage.get(HISTORY_KEY) || "[]");
      return Array.isArray(parsed) ? parsed.filter(validEntry) : [];
    } catch (e) {
      return [];
    }
  }

  function saveHistory() {
    if (history.length > MAX_HISTORY) {
      history = history.slice(history.length - MAX_HISTORY);
    }
    if (HOST_KEEPS_HISTORY) tellHost("history", history);
    else storage.set(HISTORY_KEY, JSON.stringify(history));
  }

  // --- turning Rasa's answer into history entries ---

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string" && b.title;
      })
      .map(function (b) {
        return { title: b.title, payload: b.payload };
      });
  }

  function filePayload(custom) {
    // Like payloads.parse: {kind, planId} for a plan or chart payload (planId null when it is
    // not a plan id), null for anything else.
    if (!custom || typeof custom !== "object") return null;
    var kind = custom[PAYLOAD.TYPE];
    if (kind !== PAYLOAD.PLAN && kind !== PAYLOAD.CHART) return null;
    var id = custom[PAYLOAD.PLAN_ID];
    return { kind: kind, planId: typeof id === "string" && PLAN_ID.test(id) ? id : null };
  }

  function toEntries(messages) {
    var plans = [];
    messages.forEach(function (m) {
      var file = filePayload(m && m.custom);
      if (file && file.planId) plans.push(file.planId);
    });
    var entries = [];
    messages.forEach(function (m) {
      if (!m || typeof m !== "object") return;
      var file = filePayload(m.custom);
      if (file) {
        if (file.planId && file.kind === PAYLOAD.PLAN) {
          entries.push({ who: "bot", plan: file.planId });
        } else if (file.planId) {
          entries.push({ who: "bot", chart: file.planId, at: Date.now() });
        }
        return;
      }
      var text = typeof m.text === "string" ? m.text : "";
      // The plan message also comes as text with a full URL: the download link replaces it.
      var duplicate = plans.some(function (id) {
        return text.indexOf("/plans/" + id) !== -1;
      });
      var buttons = cleanButtons(m.buttons);
      if (duplicate && !buttons.length) return;
      if (!text && !buttons.length) return;
      var entry = { who: "bot" };
      if (text && !duplicate) entry.text = text;
      if (buttons.length) {
        entry.buttons = buttons;
        entry.used = false;
      }
      entries.push(entry);
    });
    return entries;
  }

  // --- rendering (textContent / createTextNode only) ---

  function appendInline(parent, line) {
    // A short label at the start ("Doel:", "Rol gemeente:") is bold, as the answers use them
    // as headings.
    var label = /^([A-Z][A-Za-z\u00C0-\u017F]*(?: [a-z\u00C0-\u017F]+){0,2}:)(\s|$)/.exec(line);
    if (label && line.indexOf("**") === -1) {
      var strongLabel = document.createElement("strong");
      strongLabel.textContent = label[1];
      parent.appendChild(strongLabel);
      line = line.slice(label[1].length);
    }
    // "**bold**" markers: odd parts of the split are the bold ones.
    var parts = line.split(/\*\*(.+?)\*\*/);
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (i % 2 === 1) {
        var strong = document.createElement("strong");
        strong.textContent = parts[i];
        parent.appendChild(strong);
      } else {
        parent.appendChild(document.createTextNode(parts[i]));
      }
    }
  }

  function appendFormatted(parent, text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    var list = null;
    var listType = "";
    var para = null;
    lines.forEach(function (line) {
      var numbered = /^\s*(\d{1,3})[.)]\s+(.*)$/.exec(line);
      var bullet = numbered ? null : /^\s*[-*•]\s+(.*)$/.exec(line);
      if (numbered || bullet) {
        var type = numbered ? "ol" : "ul";
        if (!list || listType !== type) {
          list = document.createElement(type);
          listType = type;
          parent.appendChild(list);
        }
        var item = document.createElement("li");
        if (numbered) item.value = Number(numbered[1]);
        appendInline(item, numbered ? numbered[2] : bullet[1]);
        list.appendChild(item);
        para = null;
        return;
      }
      list = null;
      if (!line.trim()) {
        para = null;
        return;
      }
      if (para) {
        para.appendChild(document.createElement("br"));
      } else {
        para = document.createElement("p");
        parent.appendChild(para);
      }
      appendInline(para, line);
    });
  }

  function svgIcon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  function hiddenLabel(text) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text;
    return span;
  }

  function renderEntry(entry) {
    var li = document.createElement("li");
    li.className = "msg msg-" + entry.who;
    li.appendChild(hiddenLabel(entry.who === "user" ? "Jij: " : "Methodewijzer: "));

    if (entry.who === "user") {
      var own = document.createElement("div");
      own.className = "bubble";
      own.textContent = entry.text; // literally, newlines kept by CSS
      li.appendChild(own);
    }
    if (entry.who === "bot" && entry.text) {
      var bubble = document.createElement("div");
      bubble.className = "bubble";
      appendFormatted(bubble, entry.text);
      li.appendChild(bubble);
    }
    if (entry.who === "bot" && entry.plan) {
      var link = document.createElement("a");
      link.className = "plan-link";
      link.href = "plans/" + encodeURIComponent(entry.plan) + ".docx";
      link.setAttribute("download", "");
      link.appendChild(svgIcon("M12 3v12m0 0-5-5m5 5 5-5M5 20h14"));
      var label = document.createElement("span");
      label.textContent = "Download je plan van aanpak (Word)";
      link.appendChild(label);
      li.appendChild(link);
    }
    if (entry.who === "bot" && entry.chart) {
      var img = document.createElement("img");
      img.className = "plan-chart";
      // The plot is redrawn with every measurement: the time keeps an old one from the cache.
      img.src = "plans/" + encodeURIComponent(entry.chart) + ".png?t=" + String(entry.at || 0);
      img.alt = "Grafiek: de metingen van het plan en het doel";
      li.appendChild(img);
    }
    if (entry.who === "bot" && entry.buttons && entry.buttons.length) {
      li.appendChild(renderButtons(entry));
    }
    els.messages.appendChild(li);
    return li;
  }

  function renderButtons(entry) {
    var group = document.createElement("div");
    group.className = "quick-replies";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Kies een antwoord");
    entry.buttons.forEach(function (button, index) {
      var el = document.createElement("button");
      el.type = "button";
      el.className = "quick-reply";
      el.textContent = button.title;
      if (entry.used) {
        el.disabled = true;
        if (entry.chosen === index) el.classList.add("is-chosen");
      }
      el.addEventListener("click", function () {
        onQuickReply(entry, index, el);
      });
      group.appendChild(el);
    });
    buttonRows.set(entry, group);
    return group;
  }

  function setButtonsDisabled(entry, disabled) {
    var group = buttonRows.get(entry);
    if (!group) return;
    var buttons = group.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = disabled;
      buttons[i].classList.toggle("is-chosen", entry.used && entry.chosen === i);
    }
  }

  function retireOldButtons() {
    history.forEach(function (entry) {
      if (entry.buttons && !entry.used) {
        entry.used = true;
        setButtonsDisabled(entry, true);
      }
    });
  }

  function renderAll() {
    els.messages.textContent = "";
    history.forEach(renderEntry);
    scrollToEnd();
  }

  function scrollToEnd() {
    els.scroll.scrollTop = els.scroll.scrollHeight;
  }

  function showNew(firstNew) {
    // A long answer is shown from its start; a short one simply scrolls into view.
    if (!firstNew) return scrollToEnd();
    var space = els.scroll.clientHeight;
    var from = firstNew.offsetTop - els.scroll.offsetTop;
    if (els.scroll.scrollHeight - from > space) {
      els.scroll.scrollTop = Math.max(0, from - 16);
    } else {
      scrollToEnd();
    }
  }

  // --- state of the form ---

  function setBusy(value) {
    busy = value;
    els.input.disabled = value;
    els.send.disabled = value;
    els.newChat.disabled = value;
    els.typing.hidden = !value;
    els.status.textContent = value ? "De Methodewijzer typt…" : "";
    history.forEach(function (entry) {
      if (entry.buttons && !entry.used) setButtonsDisabled(entry, value);
    });
    if (value) scrollToEnd();
  }

  function showError(message) {
    els.error.textContent = message;
    els.error.hidden = false;
  }

  function hideError() {
    els.error.hidden = true;
    els.error.textContent = "";
  }

  function autoGrow() {
    els.input.style.height = "auto";
    els.input.style.height = Math.min(els.input.scrollHeight, 180) + "px";
  }

  // --- talking to the server ---

  function ChatError(message) {
    this.message = message;
  }

  async function postChat(message) {
    var controller = new AbortController();
    var timer = window.setTimeout(function () {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (EMBED) {
      headers["X-Methodewijzer-Embed"] = "1";
      var token = storage.get(TOKEN_KEY);
      if (token) headers[TOKEN_HEADER] = token;
    }
    try {
      var response = await fetch("api/chat", {
        method: "POST",
        headers: headers,
        body: JSON.stringify({ message: message }),
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
      var issued = EMBED && response.headers.get(TOKEN_HEADER);
      if (issued) {
        storage.set(TOKEN_KEY, issued);
        storage.set(OWNER_KEY, issued);
      }
      var data = null;
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
      if (!response.ok || !Array.isArray(data)) {
        var text = data && typeof data.error === "string" ? data.error : UNREACHABLE;
        throw new ChatError(text);
      }
      return data;
    } catch (e) {
      if (e instanceof ChatError) throw e;
      throw new ChatError(UNREACHABLE); // network error or timeout
    } finally {
      window.clearTimeout(timer);
    }
  }

  /**
   * Send `message` to the assistant. `shown` is what the user sees as their own message (the
   * button title for a quick reply), or null for the silent greeting. Resolves to true on success.
   */
  async function send(message, shown) {
    if (busy) return false;
    hideError();
    var pending = null;
    var userEntry = null;
    if (shown !== null) {
      userEntry = { who: "user", text: shown };
      pending = renderEntry(userEntry);
    }
    setBusy(true);
    try {
      var messages = await postChat(message);
      retireOldButtons();
      var entries = toEntries(messages);
      if (userEntry) history.push(userEntry);
      var firstNew = pending; // the exchange is shown from the user's own message
      entries.forEach(function (entry) {
        history.push(entry);
        var li = renderEntry(entry);
        firstNew = firstNew || li;
      });
      saveHistory();
      setBusy(false);
      showNew(firstNew);
      if (entries.length) tellHost("answer");
      return true;
    } catch (e) {
      if (pending) pending.remove();
      setBusy(false);
      showError(e instanceof ChatError ? e.message : UNREACHABLE);
      return false;
    }
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    var text = els.input.value;
    if (!text.trim()) {
      showError("Typ eerst een vraag.");
      els.input.focus();
      return;
    }
    if (text.length > MAX_MESSAGE) {
      showError("Je bericht is te lang. Gebruik maximaal " + MAX_MESSAGE + " tekens.");
      els.input.focus();
      return;
    }
    els.input.value = "";
    autoGrow();
    var ok = await send(text, text);
    if (!ok && !els.input.value) {
      els.input.value = text; // keep what the user typed
      autoGrow();
    }
    els.input.focus();
  }

  async function onQuickReply(entry, index, clicked) {
    if (busy || entry.used) return;
    entry.used = true; // one answer per row: no double clicks while waiting
    entry.chosen = index;
    setButtonsDisabled(entry, true);
    var button = entry.buttons[index];
    var ok = await send(button.payload, button.title);
    if (ok) {
      saveHistory();
      els.input.focus();
    } else {
      entry.used = false;
      delete entry.chosen;
      setButtonsDisabled(entry, false);
      clicked.focus(); // try again with Enter or Space
    }
  }

  function onKeyDown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      els.form.requestSubmit();
    }
  }

  async function startNewConversation() {
    // Same identity, so plans and shared-plan rights stay; Rasa starts the dialogue afresh.
    if (busy) return;
    hideError();
    setBusy(true);
    try {
      await postChat(RESET);
    } catch (e) {
      setBusy(false);
      showError(e instanceof ChatError ? e.message : UNREACHABLE);
      return;
    }
    setBusy(false);
    history = [];
    saveHistory();
    els.messages.textContent = "";
    els.input.value = "";
    autoGrow();
    els.status.textContent = "Nieuw gesprek gestart.";
    await send(GREETING, null);
    els.input.focus();
  }

  function onStorage(event) {
    // Another tab continued or restarted this conversation: show the same state here.
    if (busy || event.key !== HISTORY_KEY) return;
    history = loadHistory();
    renderAll();
  }

  function setUpEmbed() {
    // Title, accent colour and opening question come from the widget's data- attributes.
    var title = (params.get("title") || "").slice(0, 80);
    if (title) {
      document.getElementById("titel").textContent = title;
      document.title = title;
    }
    var accent = params.get("accent") || "";
    if (/^#[0-9a-fA-F]{6}$/.test(accent)) {
      document.documentElement.style.setProperty("--accent", accent);
    }
    var question = (params.get("question") || "").slice(0, 300);
    if (question) document.getElementById("opening").textContent = question;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") tellHost("close");
    });
    window.addEventListener("message", function (event) {
      if (event.source === window.parent && event.data === "methodewijzer:focus") {
        els.input.focus();
      }
    });
  }

  function init() {
    els = {
      form: document.getElementById("invoer"),
      input: document.getElementById("bericht"),
      send: document.getElementById("verstuur"),
      newChat: document.getElementById("nieuw-gesprek"),
      messages: document.getElementById("berichten"),
      scroll: document.getElementById("chat-scroll"),
      typing: document.getElementById("typen"),
      status: document.getElementById("status"),
      error: document.getElementById("foutmelding"),
    };
    els.form.addEventListener("submit", onSubmit);
    els.input.addEventListener("keydown", onKeyDown);
    els.input.addEventListener("input", autoGrow);
    els.newChat.addEventListener("click", startNewConversation);
    window.addEventListener("storage", onStorage);
    if (EMBED) setUpEmbed();

    if (HOST_KEEPS_HISTORY) historyFromHost(start);
    else start(loadHistory());
  }

  function start(saved) {
    history = saved;
    renderAll();
    els.input.focus();
    if (!history.length) {
      send(GREETING, null).then(function () {
        els.input.focus();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
