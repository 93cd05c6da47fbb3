// Conversation page: typing indicator, announcing new messages, keeping the newest in view.
// The page works without it (plain form post, newest messages on reload).
(function () {
  "use strict";
  var chat = document.getElementById("chat");
  if (!chat) { return; }
  var conversationId = parseInt(chat.getAttribute("data-conversation"), 10);
  var me = parseInt(chat.getAttribute("data-me"), 10);
  var typing = document.getElementById("typing");
  var textarea = document.querySelector(".send-form textarea");
  var lastTypingSent = 0;
  var typers = {};

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
  }
  function showTypers() {
    var names = Object.keys(typers).map(function (id) { return typers[id].name; });
    typing.textContent = names.length ? names.join(", ") + " " + (typing.getAttribute("data-label") || "…") : "";
  }

  if (textarea) {
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent > 3000 && window.voisinageLive) {
        lastTypingSent = now;
        window.voisinageLive.send({ type: "typing", data: { conversation_id: conversationId } });
      }
    });
    // Enter sends, Shift+Enter makes a new line (the button stays for everyone else).
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && textarea.value.trim()) {
        event.preventDefault();
        textarea.form.requestSubmit();
      }
    });
  }

  var stickToBottom = true;
  document.addEventListener("voisinage:live", function (event) {
    var frame = event.detail;
    if (!frame.data || frame.data.conversation_id !== conversationId) { return; }
    if (frame.type === "typing" && frame.data.user_id !== me) {
      var id = frame.data.user_id;
      if (typers[id]) { window.clearTimeout(typers[id].timer); }
      typers[id] = {
        name: frame.data.display_name,
        timer: window.setTimeout(function () { delete typers[id]; showTypers(); }, 5000)
      };
      showTypers();
    }
    if (frame.type === "message.created") {
      stickToBottom = nearBottom();
      if (frame.data.author && typers[frame.data.author.id]) {
        window.clearTimeout(typers[frame.data.author.id].timer);
        delete typers[frame.data.author.id];
        showTypers();
      }
    }
  });
  document.addEventListener("voisinage:refreshed", function (event) {
    if (event.detail.id === "chat" && stickToBottom) {
      var last = document.querySelector("#chat .chat-message:last-child");
      if (last) { last.scrollIntoView({ block: "end" }); }
    }
  });
  if (window.location.hash === "#end" || !window.location.search) {
    var newest = document.querySelector("#chat .chat-message:last-child");
    if (newest) { newest.scrollIntoView({ block: "end" }); }
  }
})();
