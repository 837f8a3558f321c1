// The phone page of a class game. Every piece of text from the server (prompts, nicknames,
// feedback) is put into the page with textContent or createTextNode, never innerHTML, so a
// nickname such as <script> or [link](http://...) shows as the characters typed.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
};

// ----- prompt text: a safe subset of Markdown (paragraphs, **bold**, *italic*, `code`) -----
const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/g;
function inline(parent, text) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    parent.append(document.createTextNode(text.slice(last, match.index)));
    const token = match[0];
    if (token.startsWith("`")) parent.append(el("code", { text: token.slice(1, -1) }));
    else if (token.startsWith("**")) parent.append(el("strong", { text: token.slice(2, -2) }));
    else parent.append(el("em", { text: token.slice(1, -1) }));
    last = match.index + token.length;
  }
  parent.append(document.createTextNode(text.slice(last)));
  return parent;
}
function paragraphs(text, cls = "prompt") {
  const box = el("div", { class: cls });
  for (const block of String(text || "").split(/\n\s*\n/)) {
    const p = el("p");
    block.split("\n").forEach((line, i) => {
      if (i) p.append(el("br"));
      inline(p, line);
    });
    box.append(p);
  }
  return box;
}

// ----- where we are: the code in ?code=, the player's token in the link's #p= -----------
const params = new URLSearchParams(location.search);
let code = (params.get("code") || "").toUpperCase().replace(/[\s-]/g, "");
let token = new URLSearchParams(location.hash.slice(1)).get("p") || "";
let version = -1, current = null, drafts = {}, sent = {}, poller = null, countdown = null;

function remember() {
  history.replaceState(null, "", `/join?code=${encodeURIComponent(code)}#p=${token}`);
}

function status(text) { $("status").textContent = text || ""; }

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers["X-Player-Token"] = token;
  const response = await fetch(`/api/class/${encodeURIComponent(code)}/${path}`,
                               { ...options, headers, cache: "no-store" });
  let body = {};
  try { body = await response.json(); } catch (e) { body = {}; }
  return { ok: response.ok, status: response.status, body };
}

// ----- joining ------------------------------------------------------------------------------
function showJoin(message) {
  token = "";
  $("game").hidden = true;
  $("join").hidden = false;
  $("who").textContent = "";
  $("code").value = code;
  $("join-error").textContent = message || "";
  status("");
}

$("join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = event.submitter || $("join-form").querySelector("button");
  code = $("code").value.toUpperCase().replace(/[\s-]/g, "");
  button.disabled = true;
  $("join-error").textContent = "";
  try {
    const reply = await api("join", { method: "POST",
      body: JSON.stringify({ nickname: $("nickname").value }) });
    if (!reply.ok) { $("join-error").textContent = reply.body.error || "Could not join."; return; }
    token = reply.body.token;
    remember();
    start();
  } catch (e) {
    $("join-error").textContent = "No connection to the server: check the Wi-Fi, then try again.";
  } finally { button.disabled = false; }
});

// ----- following the game: long polling -------------------------------------------------
function start() {
  $("join").hidden = true;
  $("game").hidden = false;
  version = -1;
  follow();
}

async function follow() {
  const mine = poller = {};
  let wait = 1000;
  while (poller === mine && token) {
    try {
      const reply = await api(`state?since=${version}`);
      if (poller !== mine) return;
      if (!reply.ok) {
        if (reply.status >= 500) throw new Error("server");
        showJoin(reply.body.error);
        return;
      }
      wait = 1000;
      status("");
      if (reply.body.version !== version || !current) render(reply.body);
      version = reply.body.version;
      if (reply.body.phase === "summary") return;  // the game is over: nothing more to follow
    } catch (e) {
      status("Reconnecting…");
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 5000);
    }
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && token) { version = -1; follow(); }
});

// ----- drawing one state ----------------------------------------------------------------
function render(state) {
  current = state;
  clearInterval(countdown);
  const you = state.you;
  $("who").textContent = `${you.nickname} · ${state.code}`;
  const box = $("game");
  box.replaceChildren();
  const round = state.round;
  const phase = state.phase;
  if (phase === "lobby") {
    box.append(el("h1", { text: `You're in, ${you.nickname}!` }),
               el("p", { text: "Look at the projector: the first question starts soon." }));
  } else if (phase === "question") {
    drawQuestion(box, round, you);
  } else if (phase === "locked") {
    box.append(heading(round), el("h2", { text: "Answers are locked." }),
               yourAnswer(you), el("p", { class: "muted", text: "The reveal is next: watch the projector." }));
  } else if (phase === "reveal" || phase === "leaderboard") {
    box.append(heading(round), drawResult(you), standing(you));
  } else if (phase === "poll") {
    drawPoll(box, you);
  } else if (phase === "summary") {
    box.append(el("h1", { text: "Thanks for playing!" }), standing(you));
  }
}

function heading(round) {
  return el("p", { class: "muted", text: `Question ${round.number} of ${round.of} · ${round.title}` });
}

function yourAnswer(you) {
  const answer = you.answer || sent[current.round.number];
  if (!answer) return el("p", { text: "You did not answer this one." });
  const card = el("div", { class: "card" }, el("strong", { text: "Your answer: " }));
  inline(card, Object.values(answer).join("; "));
  return card;
}

function drawQuestion(box, round, you) {
  const top = heading(round);
  if (round.closes_in !== null && round.closes_in !== undefined) {
    const clock = el("span", { class: "countdown" });
    const deadline = Date.now() + round.closes_in * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      clock.textContent = left ? `${left} s` : "Time is up";
      if (!left) { clearInterval(countdown); box.querySelectorAll("button").forEach((b) => { b.disabled = true; }); }
    };
    tick();
    countdown = setInterval(tick, 250);
    top.prepend(clock);
  }
  box.append(top, paragraphs(round.prompt));
  if (you.answered || sent[round.number]) {
    box.append(el("h2", { text: "Answer sent." }), yourAnswer(you),
               el("p", { class: "muted", text: "Wait for the host to lock the answers." }));
    return;
  }
  const draft = drafts[round.number] = drafts[round.number] || {};
  const form = el("form", { autocomplete: "off" });
  for (const q of round.questions) form.append(drawControl(q, draft));
  const error = el("p", { class: "error", role: "alert" });
  const submit = el("button", { type: "submit", class: "primary", text: "Send answer" });
  form.append(submit, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = "";
    try {
      const reply = await api("answer", { method: "POST",
        body: JSON.stringify({ round: round.number, answer: draft }) });
      if (reply.ok) {
        sent[round.number] = reply.body.answer;
        render(current);
        return;
      }
      error.replaceChildren();
      inline(error, reply.body.error || "The answer was not accepted.");
    } catch (e) {
      error.textContent = "No connection: your answer was not sent. Tap again when the Wi-Fi is back.";
    }
    submit.disabled = false;
  });
  box.append(form);
}

function drawControl(q, draft) {
  const part = el("div", { class: "question" }, inline(el("div", { class: "text" }), q.text));
  if (q.kind === "choice") {
    const numbered = q.options.length <= 20 && q.options.every((o) => /^\d+$/.test(o.value));
    const grid = el("div", { class: numbered ? "numbers" : "options", role: "group" });
    for (const option of q.options) {
      const button = el("button", { type: "button", "aria-pressed": String(draft[q.id] === option.value) });
      if (numbered) { button.textContent = option.value; button.setAttribute("aria-label", option.label); }
      else inline(button, option.label);
      button.addEventListener("click", () => {
        draft[q.id] = option.value;
        grid.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      });
      grid.append(button);
    }
    part.append(grid);
  } else {
    const input = el("input", { type: "text", spellcheck: "false", "aria-label": q.text,
      inputmode: q.kind === "number" ? "decimal" : "text", maxlength: q.kind === "number" ? "40" : "500" });
    input.value = draft[q.id] || "";
    input.addEventListener("input", () => { draft[q.id] = input.value; });
    part.append(input);
    if (q.kind === "number" && q.low !== null && q.high !== null) {
      part.append(el("p", { class: "hint", text: `A number from ${q.low} to ${q.high}${q.unit ? " " + q.unit : ""}.` }));
    }
  }
  if (q.help) part.append(inline(el("p", { class: "hint" }), q.help));
  return part;
}

function drawResult(you) {
  const result = you.result;
  if (!result || !result.answered) {
    const card = el("div", { class: "card none" }, el("p", { class: "big", text: "0 points" }),
                    el("p", { text: "You did not answer this question." }));
    if (result) card.append(rightAnswer(result.right));
    return card;
  }
  const kind = result.correct ? "good" : result.points > 0 ? "some" : "none";
  return el("div", { class: `card ${kind}` },
            el("p", { class: "big", text: `${result.points} points` }),
            paragraphs(result.feedback, "feedback"), rightAnswer(result.right));
}

function rightAnswer(right) {
  const p = el("p", {}, el("strong", { text: "Right answer: " }));
  return inline(p, Object.values(right || {}).join("; "));
}

function standing(you) {
  if (you.rank === undefined) return el("p");
  return el("div", { class: "card" },
            el("p", { class: "big", text: `#${you.rank} of ${you.of}` }),
            el("p", { text: `${you.total} points in total` }));
}

// ----- the closing poll -------------------------------------------------------------------
function drawPoll(box, you) {
  box.append(el("h1", { text: "How was it?" }), standing(you));
  if (you.poll_done || sent.poll) {
    box.append(el("p", { text: "Thanks! Your answer is with the lecturer." }));
    return;
  }
  const answer = {};
  const pick = (key, value, group, button) => {
    answer[key] = value;
    group.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
  };
  const pace = el("div", { class: "options", role: "group" });
  for (const [value, words] of [["too_slow", "Too slow"], ["right", "About right"], ["too_fast", "Too fast"]]) {
    const b = el("button", { type: "button", text: words, "aria-pressed": "false" });
    b.addEventListener("click", () => pick("pace", value, pace, b));
    pace.append(b);
  }
  const happy = el("div", { class: "scale", role: "group" });
  for (let i = 1; i <= 5; i++) {
    const b = el("button", { type: "button", text: String(i), "aria-pressed": "false",
                             "aria-label": `${i} of 5` });
    b.addEventListener("click", () => pick("happiness", i, happy, b));
    happy.append(b);
  }
  const comment = el("textarea", { maxlength: "500", "aria-label": "Comment" });
  const error = el("p", { class: "error", role: "alert" });
  const send = el("button", { type: "button", class: "primary", text: "Send" });
  send.addEventListener("click", async () => {
    send.disabled = true;
    try {
      const reply = await api("poll", { method: "POST", body: JSON.stringify({
        ...answer, comment: comment.value.trim() || null }) });
      if (reply.ok) { sent.poll = true; render(current); return; }
      error.textContent = reply.body.error || "Not sent.";
    } catch (e) { error.textContent = "No connection: tap Send again when the Wi-Fi is back."; }
    send.disabled = false;
  });
  box.append(el("label", { text: "The pace today was" }), pace,
             el("label", { text: "How happy are you with today's session? (1 = not at all, 5 = very)" }), happy,
             el("label", { text: "One comment for the lecturer (optional, only the lecturer sees it)" }), comment,
             send, error);
}

// ----- start ------------------------------------------------------------------------------
if (token && code) start(); else showJoin("");
