// The compare view (compare/index.html and the pages of a place's consecutive reports): any two
// reports side by side — outlines aligned, terms only in one, targets by indicator, and for two
// reports of one place which paragraphs were kept, reworded (changed words marked) or are new.
//
// Data: compare/data/reports.js (every report, for the picker) and compare/data/<id>.js (one
// report), written at build time by build_corpus/pages/compare.py and loaded with <script src>, so
// the view works from file:// (the offline bundle) as over http. Every text from a report goes
// into the page with textContent, never as HTML. No library.
//
// Paragraphs are aligned in bounded work: identical paragraphs by a hash map; for the rest, an
// index of character trigrams proposes candidates (a trigram found in more than GRAM_CAP
// paragraphs is too common to tell anything and is skipped), the best few are scored by their
// shared trigrams (Dice), pairs are taken best first, and only the pairs found are diffed
// character by character (Myers, at most MAX_EDITS edits). Reports of thousands of paragraphs
// are compared in well under a second, never paragraph by paragraph against every other.
(function (root) {
  "use strict";

  var GRAM = 3;            // characters per gram: pairs of Chinese characters are too common
  var GRAM_CAP = 40;       // a gram in more paragraphs than this proposes no candidate
  var CANDIDATES = 4;      // best candidates per paragraph scored exactly
  var REWORDED = 0.3;      // shared trigrams (Dice) from which two paragraphs are one, reworded
  var SIMILAR_TITLE = 0.5; // the same for headings in the same place of two outlines
  var MAX_EDITS = 1500;    // a character diff needing more edits is shown as replaced whole

  /* --- diff -------------------------------------------------------------------------- */

  // Myers' O(ND) diff of two sequences (strings or arrays of strings): runs of
  // ["=", a0, a1, b0, b1], ["-", a0, a1, b0, b0], ["+", a0, a0, b0, b1]; null past maxEdits.
  function diff(a, b, maxEdits) {
    var n = a.length, m = b.length, max = n + m, off = max + 1;
    var limit = Math.min(max, maxEdits === undefined ? max : maxEdits);
    var v = new Int32Array(2 * max + 3), trace = [], d, k, x, y;
    for (d = 0; d <= limit; d++) {
      trace.push(v.slice(off - d - 1, off + d + 2));
      for (k = -d; k <= d; k += 2) {
        x = (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
        y = x - k;
        while (x < n && y < m && a[x] === b[y]) { x++; y++; }
        v[off + k] = x;
        if (x >= n && y >= m) return runs(backtrack(trace, d, n, m));
      }
    }
    return null;
  }

  function backtrack(trace, d, x, y) {
    var steps = [];   // per element, from the end: "=", "-", "+"
    for (; d >= 0; d--) {
      var v = trace[d], k = x - y, at = function (i) { return v[i + d + 1]; };
      var prevK = (k === -d || (k !== d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
      var prevX = d === 0 ? 0 : at(prevK), prevY = prevX - prevK;
      while (x > prevX && y > prevY) { steps.push("="); x--; y--; }
      if (d > 0) steps.push(x === prevX ? "+" : "-");
      x = prevX; y = prevY;
    }
    return steps.reverse();
  }

  function runs(steps) {
    var out = [], i = 0, j = 0;
    steps.forEach(function (s) {
      var last = out[out.length - 1];
      if (!last || last[0] !== s) out.push(last = [s, i, i, j, j]);
      if (s !== "+") last[2] = ++i;
      if (s !== "-") last[4] = ++j;
    });
    return out;
  }

  // Character runs of a reworded paragraph as [kind, text]: "=" kept, "-" removed, "+" added. An
  // equal stretch of one or two characters between changes joins them, so a changed phrase reads
  // as one change and not as scattered characters.
  function wordDiff(a, b) {
    var r = diff(a, b, MAX_EDITS);
    if (!r) return [["-", a], ["+", b]];
    var out = [];
    r.forEach(function (run, i) {
      var kind = run[0], text = kind === "+" ? b.slice(run[3], run[4]) : a.slice(run[1], run[2]);
      var inner = i > 0 && i < r.length - 1;
      if (kind === "=" && inner && text.length <= 2) {
        push(out, "-", text); push(out, "+", text);
      } else {
        push(out, kind, text);
      }
    });
    // Removed before added within each change, so it reads 旧 → 新.
    var merged = [];
    for (var i = 0; i < out.length; i++) {
      if (out[i][0] === "=") { merged.push(out[i]); continue; }
      var del = "", add = "";
      for (; i < out.length && out[i][0] !== "="; i++) { if (out[i][0] === "-") del += out[i][1]; else add += out[i][1]; }
      i--;
      if (del) merged.push(["-", del]);
      if (add) merged.push(["+", add]);
    }
    return merged;
  }

  function push(out, kind, text) {
    var last = out[out.length - 1];
    if (last && last[0] === kind) last[1] += text; else out.push([kind, text]);
  }

  /* --- paragraphs ---------------------------------------------------------------------- */

  function normal(text) { return text.replace(/\s+/g, ""); }

  function grams(text) {
    var t = normal(text), seen = Object.create(null), out = [];
    for (var i = 0; i + GRAM <= t.length; i++) {
      var g = t.substr(i, GRAM);
      if (!seen[g]) { seen[g] = true; out.push(g); }
    }
    if (!out.length && t) out.push(t);   // shorter than a gram
    return out;
  }

  function dice(ga, gb) {
    if (!ga.length || !gb.length) return 0;
    var set = Object.create(null), shared = 0;
    ga.forEach(function (g) { set[g] = true; });
    gb.forEach(function (g) { if (set[g]) shared++; });
    return 2 * shared / (ga.length + gb.length);
  }

  // Rows in the newer report's order, each dropped paragraph placed after the rows before it:
  // {kind: "kept"|"reworded"|"new"|"dropped", a: index|null, b: index|null, score}.
  // `work` counts the trigram lookups and character comparisons made, for the tests' bound.
  function alignParagraphs(A, B) {
    var matchA = new Array(A.length), matchB = new Array(B.length), score = new Array(B.length);
    var work = 0, exact = Object.create(null), i, j;
    A.forEach(function (text, i) { var key = normal(text); (exact[key] = exact[key] || []).push(i); });
    B.forEach(function (text, j) {
      var same = exact[normal(text)];
      if (same && same.length) { i = same.shift(); matchA[i] = j; matchB[j] = i; score[j] = 1; }
    });
    // Trigram index of the paragraphs of A still unmatched.
    var gramsA = [], postings = Object.create(null);
    A.forEach(function (text, i) {
      if (matchA[i] !== undefined) return;
      gramsA[i] = grams(text);
      gramsA[i].forEach(function (g) { (postings[g] = postings[g] || []).push(i); });
    });
    var pairs = [];
    B.forEach(function (text, j) {
      if (matchB[j] !== undefined) return;
      var gb = grams(text), hits = Object.create(null), seen = [];
      gb.forEach(function (g) {
        var list = postings[g];
        if (!list || list.length > GRAM_CAP) return;
        work += list.length;
        list.forEach(function (i) { if (!hits[i]) { hits[i] = 0; seen.push(i); } hits[i]++; });
      });
      seen.sort(function (x, y) { return hits[y] - hits[x] || x - y; });
      seen.slice(0, CANDIDATES).forEach(function (i) {
        work += gramsA[i].length + gb.length;
        var s = dice(gramsA[i], gb);
        if (s >= REWORDED) pairs.push([s, i, j]);
      });
    });
    pairs.sort(function (p, q) { return q[0] - p[0] || p[2] - q[2] || p[1] - q[1]; });
    pairs.forEach(function (p) {
      if (matchA[p[1]] !== undefined || matchB[p[2]] !== undefined) return;
      matchA[p[1]] = p[2]; matchB[p[2]] = p[1]; score[p[2]] = p[0];
    });
    var rows = [], nextA = 0, placed = new Array(A.length);
    function dropsBefore(limit) {
      for (; nextA < limit; nextA++) {
        if (matchA[nextA] === undefined && !placed[nextA]) { placed[nextA] = true; rows.push({ kind: "dropped", a: nextA, b: null }); }
      }
    }
    for (j = 0; j < B.length; j++) {
      i = matchB[j];
      if (i === undefined) { rows.push({ kind: "new", a: null, b: j }); continue; }
      if (i >= nextA) dropsBefore(i);
      var kind = normal(A[i]) === normal(B[j]) ? "kept" : "reworded";
      rows.push({ kind: kind, a: i, b: j, score: score[j] });
    }
    dropsBefore(A.length);
    var counts = { kept: 0, reworded: 0, "new": 0, dropped: 0 };
    rows.forEach(function (r) { counts[r.kind]++; });
    return { rows: rows, counts: counts, work: work };
  }

  /* --- outlines and targets -------------------------------------------------------------- */

  function bigramDice(a, b) {
    function bigrams(t) { var out = []; for (var i = 0; i + 2 <= t.length; i++) out.push(t.substr(i, 2)); return out.length ? out : [t]; }
    return dice(bigrams(a), bigrams(b));
  }

  // Rows [left, how, right] of two outlines ([level, text, anchor, key] each): how is 相同 where the
  // keys (titles without numbers, years, punctuation) match in order, 相近 where two titles in the
  // same place share most of their characters, "" for headings in the same place that differ.
  function alignOutlines(left, right) {
    var ops = diff(left.map(function (h) { return h[3]; }), right.map(function (h) { return h[3]; })) || [];
    var rows = [];
    var pending = { a: [], b: [] };
    // Within a stretch where the keys differ: the most titles that are similar, in order (a small
    // LCS over the stretch); the rest side by side where they are at the same level.
    function flush() {
      var a = pending.a, b = pending.b, i, j;
      pending = { a: [], b: [] };
      var similar = a.length * b.length <= 40000 ? similarPairs(a, b) : [];
      var ia = 0, jb = 0;
      similar.concat([[a.length, b.length]]).forEach(function (pair) {
        for (i = ia, j = jb; i < pair[0] && j < pair[1];) {
          if (a[i][0] === b[j][0]) rows.push([a[i++], "", b[j++]]);
          else if (a[i][0] > b[j][0]) rows.push([a[i++], "", null]);
          else rows.push([null, "", b[j++]]);
        }
        for (; i < pair[0]; i++) rows.push([a[i], "", null]);
        for (; j < pair[1]; j++) rows.push([null, "", b[j]]);
        if (pair[0] < a.length) rows.push([a[pair[0]], "相近", b[pair[1]]]);
        ia = pair[0] + 1; jb = pair[1] + 1;
      });
    }
    function similarPairs(a, b) {
      var n = a.length, m = b.length, best = [], i, j;
      for (i = 0; i <= n; i++) best.push(new Int32Array(m + 1));
      for (i = n - 1; i >= 0; i--) {
        for (j = m - 1; j >= 0; j--) {
          best[i][j] = Math.max(best[i + 1][j], best[i][j + 1],
                                bigramDice(a[i][3], b[j][3]) >= SIMILAR_TITLE ? best[i + 1][j + 1] + 1 : 0);
        }
      }
      var out = [];
      for (i = 0, j = 0; i < n && j < m;) {
        if (best[i][j] === best[i + 1][j]) i++;
        else if (best[i][j] === best[i][j + 1]) j++;
        else out.push([i++, j++]);
      }
      return out;
    }
    ops.forEach(function (op) {
      if (op[0] === "=") {
        flush();
        for (var k = 0; k < op[2] - op[1]; k++) rows.push([left[op[1] + k], "相同", right[op[3] + k]]);
      } else {
        pending.a = pending.a.concat(left.slice(op[1], op[2]));
        pending.b = pending.b.concat(right.slice(op[3], op[4]));
      }
    });
    flush();
    return rows;
  }

  // How a target moved: [key, indicator, statement, low, high, unit, anchor, value, qualifier].
  function targetChange(before, after) {
    if (!before) return "新增";
    if (!after) return "删去";
    if (before[3] === null || after[3] === null || before[5] !== after[5]) {
      return before[7] === after[7] && before[8] === after[8] ? "相同" : "表述变化";
    }
    if (before[3] !== after[3] || before[4] !== after[4]) return after[3] + after[4] > before[3] + before[4] ? "上调" : "下调";
    return before[2] === after[2] ? "相同" : "数值相同，表述变化";
  }

  var api = { diff: diff, wordDiff: wordDiff, alignParagraphs: alignParagraphs, alignOutlines: alignOutlines,
              targetChange: targetChange, GRAM_CAP: GRAM_CAP };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; return; }
  if (typeof document === "undefined") return;

  /* --- the view -------------------------------------------------------------------------- */

  var app = document.getElementById("compare-app");
  if (!app) return;
  var base = app.getAttribute("data-data") || "data/";
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var reports = null, byId = {}, loaded = {}, waiting = {};

  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]); });
    (Array.isArray(content) ? content : content === undefined ? [] : [content]).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return node;
  }

  function load(src, onError) {
    var s = el("script", { src: base + src });
    s.onerror = onError;
    document.head.appendChild(s);
  }

  root.CompareData = {
    list: function (rows) { reports = rows; rows.forEach(function (r) { byId[r[0]] = r; }); start(); },
    report: function (data) {
      if (data.paragraphs) return ready(data);
      // A site in sub-sites keeps one copy of a report's text, on its page: read the paragraphs there.
      fetch(new URL(data.page, location.href).href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (html) {
        data.paragraphs = pageParagraphs(html);
        ready(data);
      }).catch(function () { say("无法读取报告页：" + data.title + "（从本地文件打开时，分站点的网站读不到报告页）"); });
    }
  };

  function ready(data) {
    loaded[data.id] = data;
    (waiting[data.id] || []).forEach(function (f) { f(); });
    delete waiting[data.id];
  }

  // A report page's paragraphs as compare_data writes them: [anchor, text] for each paragraph that
  // has its anchor as its id (<p id="sec-1-p2">…), its footnote references left out.
  var PARAGRAPH_ANCHOR = /-p[0-9]+$/;
  function pageParagraphs(html) {
    var page = new DOMParser().parseFromString(html, "text/html"), out = [];
    page.querySelectorAll("article p[id]").forEach(function (paragraph) {
      if (!PARAGRAPH_ANCHOR.test(paragraph.id)) return;
      var p = paragraph.cloneNode(true);
      p.querySelectorAll("sup.footnote-ref").forEach(function (ref) { ref.remove(); });
      out.push([paragraph.id, p.textContent.replace(/^\s+|\s+$/g, "")]);
    });
    return out;
  }

  function report(id, then) {
    if (loaded[id]) return then();
    if (!waiting[id]) { waiting[id] = []; load(id + ".js", function () { say("无法载入报告数据：" + id); }); }
    waiting[id].push(then);
  }

  var status = el("p", { "class": "compare-status", role: "status", "aria-live": "polite" });
  function say(text) { status.textContent = text; }

  // A title that names its year says enough; otherwise the year first.
  function label(r) { return r[2] && r[4].indexOf(String(r[2])) >= 0 ? r[4] : (r[2] || "年份未知") + " · " + r[4]; }

  function select(id, text) {
    var s = el("select", { id: id });
    s.appendChild(el("option", { value: "" }, "（请选择）"));
    var group = null, place = null;
    reports.forEach(function (r) {
      if (r[1] !== place || !group) { place = r[1]; group = el("optgroup", { label: place || "地区未知" }); s.appendChild(group); }
      group.appendChild(el("option", { value: r[0] }, label(r)));
    });
    return [el("label", { "for": id }, text), s];
  }

  function chosen() {
    var out = {}, hash = location.hash.replace(/^#/, "");
    hash.split("&").forEach(function (part) {
      var kv = part.split("=");
      if ((kv[0] === "a" || kv[0] === "b") && ID.test(kv[1] || "") && byId[kv[1]]) out[kv[0]] = kv[1];
    });
    if (out.a && !out.b) out.b = previousOf(out.a);
    return out;
  }

  function previousOf(id) {
    var me = byId[id], before = null;
    reports.forEach(function (r) { if (r[1] === me[1] && r[0] !== id && (r[2] || 0) < (me[2] || 0)) before = r; });
    return before ? before[0] : undefined;
  }

  var form, selA, selB, result;

  function start() {
    app.textContent = "";
    var a = select("compare-a", "第一份报告"), b = select("compare-b", "第二份报告");
    selA = a[1]; selB = b[1];
    var swap = el("button", { type: "button", "class": "md-button" }, "交换");
    var go = el("button", { type: "submit", "class": "md-button md-button--primary" }, "比较");
    form = el("form", { "class": "compare-picker", "aria-label": "选择要比较的两份报告" }, [
      el("div", { "class": "compare-field" }, a), el("div", { "class": "compare-field" }, b),
      el("div", { "class": "compare-actions" }, [swap, go])]);
    result = el("div", { "class": "compare-result" });
    app.appendChild(form);
    app.appendChild(status);
    app.appendChild(result);
    swap.addEventListener("click", function () { var t = selA.value; selA.value = selB.value; selB.value = t; });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!selA.value || !selB.value) { say("请选择两份报告。"); (selA.value ? selB : selA).focus(); return; }
      var hash = "#a=" + selA.value + "&b=" + selB.value;
      if (history.replaceState) history.replaceState(null, "", hash); else location.hash = hash;
      show(selA.value, selB.value);
    });
    follow(false);
    // A pair's address is a link on this page too (the list of each place's consecutive reports).
    window.addEventListener("hashchange", function () { follow(true); });
  }

  // The pair the address names (#a=…&b=…), chosen and shown.
  function follow(scroll) {
    var pick = chosen();
    if (pick.a) selA.value = pick.a;
    if (pick.b) selB.value = pick.b;
    if (pick.a && pick.b) {
      show(pick.a, pick.b);
      if (scroll && app.scrollIntoView) app.scrollIntoView();
    } else if (location.hash) (pick.a ? selB : selA).focus();
  }

  function show(a, b) {
    say("正在载入……");
    report(a, function () {
      report(b, function () {
        render(loaded[a], loaded[b]);
        say("已比较：" + name(loaded[a]) + " 与 " + name(loaded[b]) + "。");
      });
    });
  }

  function name(d) { return (d.place || "地区未知") + " " + (d.year || "年份未知"); }

  function link(text, href) { return el("a", { href: href }, text); }

  function section(id, title, body) {
    return el("section", { "class": "compare-section", "aria-labelledby": id + "-h" },
              [el("h2", { id: id + "-h" }, title)].concat(body));
  }

  function render(A, B) {
    result.textContent = "";
    var same = A.place && A.place === B.place;
    result.appendChild(el("p", { "class": "compare-pair" }, [
      link(A.title, A.page), " ↔ ", link(B.title, B.page)]));
    result.appendChild(targetsBlock(A, B));
    result.appendChild(termsBlock(A, B));
    result.appendChild(outlineBlock(A, B));
    var holder = section("compare-paragraphs", "逐段比较", []);
    result.appendChild(holder);
    if (same) paragraphsInto(holder, A, B);
    else {
      var button = el("button", { type: "button", "class": "md-button" }, "仍然逐段比较");
      holder.appendChild(el("p", {}, "两份报告来自不同地区，逐段比较通常意义不大（上下级地区之间可能有沿用的段落）。"));
      holder.appendChild(button);
      button.addEventListener("click", function () { button.remove(); paragraphsInto(holder, A, B); });
    }
  }

  function table(head, rows) {
    var t = el("table", {}, [el("thead", {}, el("tr", {}, head.map(function (h) { return el("th", { scope: "col" }, h); }))),
                             el("tbody", {}, rows.map(function (r) { return el("tr", {}, r.map(function (c) { return el("td", {}, c); })); }))]);
    return el("div", { "class": "compare-table", tabindex: "0", role: "region", "aria-label": head.join(" / ") }, t);
  }

  function targetsBlock(A, B) {
    var byA = {}, byB = {}, order = [];
    A.targets.forEach(function (t) { byA[t[0]] = t; order.push(t[0]); });
    B.targets.forEach(function (t) { byB[t[0]] = t; if (!byA[t[0]]) order.push(t[0]); });
    if (!order.length) return section("compare-targets", "主要预期目标", [el("p", {}, "两份报告都没有读出主要预期目标。")]);
    function cell(d, t) { return t ? link(t[2], d.page + "#" + t[6]) : "—"; }
    var rows = order.map(function (key) {
      var a = byA[key], b = byB[key], nameA = a && a[1], nameB = b && b[1];
      var indicator = nameA && nameB && nameA !== nameB ? nameA + " → " + nameB : (nameA || nameB);
      return [indicator, cell(A, a), cell(B, b), targetChange(a, b)];
    });
    return section("compare-targets", "主要预期目标", [
      el("p", {}, "按指标对照（常见指标按统一名称，其余按原文），每个数值链接到原文段落。"),
      table(["指标", name(A), name(B), "变化"], rows)]);
  }

  function termsBlock(A, B) {
    var inA = {}, inB = {};
    A.terms.forEach(function (t) { inA[t[0]] = t; });
    B.terms.forEach(function (t) { inB[t[0]] = t; });
    var onlyA = A.terms.filter(function (t) { return !inB[t[0]]; });
    var onlyB = B.terms.filter(function (t) { return !inA[t[0]]; });
    var both = A.terms.length - onlyA.length;
    function list(d, terms) {
      if (!terms.length) return el("p", {}, "无。");
      var p = el("p", { "class": "compare-terms" });
      terms.forEach(function (t, i) {
        if (i) p.appendChild(document.createTextNode("、"));
        p.appendChild(link(t[0], t[1]));
        p.appendChild(document.createTextNode("（"));
        p.appendChild(link(t[2] ? t[2] + " 次" : "名词解释", d.page + "#" + t[3]));
        p.appendChild(document.createTextNode("）"));
      });
      return p;
    }
    return section("compare-terms", "只在一份中出现的名词", [
      el("p", {}, "名词解释收录的名词（正文使用或在名词解释中解释）：两份都有 " + both + " 个。"),
      el("h3", {}, "只在 " + name(A) + "（" + onlyA.length + "）"), list(A, onlyA),
      el("h3", {}, "只在 " + name(B) + "（" + onlyB.length + "）"), list(B, onlyB)]);
  }

  function outlineBlock(A, B) {
    var rows = alignOutlines(A.outline, B.outline);
    if (!rows.length) return section("compare-outline", "标题结构对照", [el("p", {}, "两份报告都没有读出一、二级标题。")]);
    function cell(d, h) {
      if (!h) return "";
      return el("span", { "class": "compare-level-" + h[0] }, link(h[1], d.page + "#" + h[2]));
    }
    var matched = rows.filter(function (r) { return r[1]; }).length;
    return section("compare-outline", "标题结构对照", [
      el("p", {}, "一、二级标题按顺序对齐：" + matched + " 处相同或相近（不计编号、年份和标点）。"),
      table([name(A), "对应", name(B)], rows.map(function (r) { return [cell(A, r[0]), r[1], cell(B, r[2])]; }))]);
  }

  var KIND = { kept: "保留", reworded: "改写", "new": "新增", dropped: "删去" };

  function paragraphsInto(holder, A, B) {
    var ta = A.paragraphs.map(function (p) { return p[1]; }), tb = B.paragraphs.map(function (p) { return p[1]; });
    var started = Date.now(), aligned = alignParagraphs(ta, tb), c = aligned.counts;
    holder.appendChild(el("p", { "class": "compare-counts" },
      "较晚一份（" + name(B) + "）的 " + tb.length + " 段中：保留 " + c.kept + " 段，改写 " + c.reworded + " 段，新增 " + c["new"] +
      " 段；较早一份（" + name(A) + "）删去 " + c.dropped + " 段。（比较用时 " + (Date.now() - started) + " 毫秒）"));
    holder.appendChild(el("p", {}, "改写的段落中，删去的字词标为删除线，新增的标为底色。两段共有的三字组占比在 " +
      Math.round(REWORDED * 100) + "% 以上才视为同一段改写，否则算作删去一段、新增一段。"));
    var list = el("ol", { "class": "compare-paragraphs" }), kept = [];
    function flushKept() {
      if (!kept.length) return;
      var group = kept; kept = [];
      var details = el("details", { "class": "compare-kept" }, el("summary", {}, "未改动的 " + group.length + " 段"));
      details.addEventListener("toggle", function fill() {
        details.removeEventListener("toggle", fill);
        group.forEach(function (r) { details.appendChild(row(r)); });
      });
      list.appendChild(el("li", {}, details));
    }
    function row(r) {
      var body = el("p", { "class": "compare-text" });
      if (r.kind === "reworded") {
        wordDiff(ta[r.a], tb[r.b]).forEach(function (part) {
          body.appendChild(part[0] === "=" ? document.createTextNode(part[1]) : el(part[0] === "-" ? "del" : "ins", {}, part[1]));
        });
      } else {
        body.textContent = r.kind === "dropped" ? ta[r.a] : tb[r.b];
      }
      var where = [];
      if (r.a !== null) where.push(link(name(A) + " ¶", A.page + "#" + A.paragraphs[r.a][0]));
      if (r.b !== null) where.push(link(name(B) + " ¶", B.page + "#" + B.paragraphs[r.b][0]));
      var tools = el("p", { "class": "compare-where" }, [el("span", { "class": "compare-kind compare-kind--" + r.kind }, KIND[r.kind])]);
      where.forEach(function (w) { tools.appendChild(document.createTextNode(" ")); tools.appendChild(w); });
      return el("div", { "class": "compare-row compare-row--" + r.kind }, [tools, body]);
    }
    aligned.rows.forEach(function (r) {
      if (r.kind === "kept") { kept.push(r); return; }
      flushKept();
      list.appendChild(el("li", {}, row(r)));
    });
    flushKept();
    holder.appendChild(list);
  }

  load("reports.js", function () { say("无法载入报告列表。"); });
})(this);
