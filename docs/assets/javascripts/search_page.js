/* The full results page (search.html, made by build_corpus/pages/search.py): every section that holds
 * the query, counted, grouped by report, filtered by place, level and year.
 *
 * It runs the site's own search worker file as a plain script (self.__searchPage: SearchCore only,
 * no message handler), so the keys, phrase rules and snippets are the worker's; the index files
 * are scripts loaded with <script> tags, which works from file:// as well as over http.
 * Candidates come from the postings (every section holding all keys of every word); each is then
 * checked against its text, chunk by chunk, and the counts say how many are checked. Past
 * AUTO_BYTES of text the page asks before downloading more. Nothing is built from HTML strings.
 */
(function () {
  "use strict";

  var root = document.getElementById("search-page");
  if (!root) return;
  var AUTO_BYTES = 3e6;          // text checked without asking (the bundled corpus: all of it)
  var CHUNK_BYTES = 32e3;        // search_index.CHUNK_BYTES: what one more chunk costs, roughly
  var GROUPS_PER_PAGE = 20;      // reports shown before "显示更多"
  var SECTIONS_SHOWN = 3;        // sections of a report shown before its "其余 N 处"
  var CONTEXT = 50;              // characters of context either side of a hit (≤ 120 in all)

  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base + "/", location.href);
  var form = root.querySelector("form");
  var input = form.querySelector("input[name=query]");
  var summary = root.querySelector(".search-page__summary");
  var list = root.querySelector(".search-page__results");
  var more = root.querySelector(".search-page__more");
  var checkMore = root.querySelector(".search-page__check");
  var reports = {};              // page path -> [place, level tier, year, province, title]
  var run = 0;                   // the current query; an older one stops when it sees a newer

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function script(url) {
    return new Promise(function (resolve, reject) {
      var s = el("script", { src: url });
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error("could not load " + url)); };
      document.head.appendChild(s);
    });
  }

  // What the worker's importScripts does, for the page: several scripts, in parallel.
  self.importScripts = function () {
    return Promise.all(Array.prototype.map.call(arguments, script));
  };
  self.__searchPage = true;
  var pageOf = null;             // document id -> page path (the index's pages.js)

  var ready = script(new URL("search/search_index.js", base).href).then(function () {
    return script(new URL(config.search, location.href).href);
  }).then(function () {
    var shards = self.__index.config.shards;
    self.SearchCore.setup(new URL(shards.folder, base).href, shards, base.href);
    return Promise.all([self.SearchCore.load(["pages"]),
                        script(new URL("search/reports.js", base).href)]);
  }).then(function () {
    var pages = self.SearchCore.shard("pages");
    var per = self.SearchCore.CHUNK_DOCS;
    pageOf = function (doc) { return pages.pages[pages.of[Math.floor(doc / per)][doc % per]]; };
    reports = self.__searchReports || {};
    fillFilters();
  });

  function fillFilters() {
    var provinces = {}, years = {};
    Object.keys(reports).forEach(function (page) {
      var r = reports[page];
      if (r[3]) provinces[r[3]] = true;
      if (r[2]) years[r[2]] = true;
    });
    var place = form.querySelector("select[name=place]");
    Object.keys(provinces).sort(function (a, b) { return a.localeCompare(b, "zh-Hans-CN"); }).forEach(function (p) {
      place.appendChild(el("option", { value: p }, p));
    });
    ["from", "to"].forEach(function (name) {
      var select = form.querySelector("select[name=" + name + "]");
      Object.keys(years).sort().forEach(function (y) { select.appendChild(el("option", { value: y }, y)); });
    });
    var params = new URLSearchParams(location.search);
    ["query", "place", "level", "from", "to", "sort"].forEach(function (name) {
      var field = form.elements[name];
      if (field && params.get(name)) field.value = params.get(name);
    });
    if (input.value.trim()) start();
  }

  function filters() {
    return { place: form.elements.place.value, level: form.elements.level.value,
             from: +form.elements.from.value || 0, to: +form.elements.to.value || 9999 };
  }

  function passes(page, f) {
    var r = reports[page];
    var any = f.place || f.level || f.from || f.to < 9999;
    if (!r) return !any;                       // a term page or an index: only without filters
    if (f.place && r[3] !== f.place) return false;
    if (f.level && r[1] !== f.level) return false;
    return (r[2] || 0) >= f.from && (r[2] || 9999) <= f.to;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    start();
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" && input.value.trim()) start();
  });

  function remember() {
    var params = new URLSearchParams();
    ["query", "place", "level", "from", "to", "sort"].forEach(function (name) {
      var v = form.elements[name].value;
      if (v) params.set(name, v);
    });
    try { history.replaceState(null, "", "?" + params.toString()); } catch (e) { /* file:// may refuse */ }
  }

  function start() {
    remember();
    var mine = ++run;
    list.textContent = "";
    more.hidden = true;
    checkMore.hidden = true;
    summary.textContent = "正在检索…";
    ready.then(function () { return query(mine); }).catch(function (error) {
      summary.textContent = "检索失败：" + error.message;
    });
  }

  // --- one query: candidates, checking, counting, showing --------------------------------

  function query(mine) {
    var core = self.SearchCore;
    var text = input.value.trim();
    var words = core.parseQuery(text);
    if (!words.length) { summary.textContent = "请输入要检索的字词。"; return null; }
    var state = { mine: mine, words: words, found: [], checked: 0, rejected: 0, candidates: [], shown: 0,
                  exact: core.indexIsExact(words), bytes: 0, pageBytes: core.pageBytes(), f: filters() };
    return core.keysForWords(words).then(function (keysPerWord) {
      if (mine !== run) return null;
      // Only characters found in most sections (search_index.is_common): every section is a candidate.
      state.everySection = keysPerWord.every(core.isOpen);
      state.candidates = core.rankCandidates(keysPerWord, true).filter(function (entry) {
        return passes(pageOf(entry.doc), state.f);
      });
      var pages = {};
      state.candidates.forEach(function (e) { pages[pageOf(e.doc)] = true; });
      state.candidatePages = Object.keys(pages);
      // Checked in document order: a report's sections are neighbours, so its chunks load together.
      state.queue = state.candidates.slice().sort(function (a, b) { return a.doc - b.doc; });
      state.marks = core.highlights(words.map(function (w) { return w.text; }));
      return checkSome(state, AUTO_BYTES);
    });
  }

  function checkSome(state, budget) {
    var core = self.SearchCore;
    if (state.mine !== run) return null;
    var next = state.queue.slice(state.checked, state.checked + 2048);
    if (!next.length) return finish(state);
    var before = {};
    next.forEach(function (e) { var c = "d" + Math.floor(e.doc / core.CHUNK_DOCS); if (core.shard(c)) before[c] = true; });
    return core.verify(next, state.words, true, 8).then(function (results) {
      if (state.mine !== run) return null;
      var fetched = {};
      for (var i = 0; i < results.length; i++) {
        if (results[i] === undefined) break;      // its chunk is for the next round
        var c = "d" + Math.floor(next[i].doc / core.CHUNK_DOCS);
        if (!before[c]) fetched[c] = true;
        state.checked++;
        if (results[i] === null) { state.rejected++; continue; }
        state.found.push(results[i]);
      }
      state.bytes += Object.keys(fetched).length * CHUNK_BYTES + core.pageBytes() - state.pageBytes;
      state.pageBytes = core.pageBytes();   // report pages read for their text (a site in sub-sites)
      show(state, false);
      if (state.checked >= state.queue.length) return finish(state);
      if (state.bytes < budget) return checkSome(state, budget);
      var left = state.queue.length - state.checked;
      checkMore.hidden = false;
      checkMore.textContent = "继续核对其余 " + left + " 个候选章节（约需下载 " +
        Math.max(0.1, Math.round(left * 0.6 * CHUNK_BYTES / 256 / 1e5) / 10) + " MB）";
      checkMore.onclick = function () { checkMore.hidden = true; checkSome(state, state.bytes + 10 * AUTO_BYTES); };
      return null;
    });
  }

  function finish(state) {
    state.done = true;
    show(state, true);
    return null;
  }

  function groupsOf(state) {
    var byPage = new Map();
    state.found.forEach(function (r) {
      var page = r.location.split("#")[0];
      if (!byPage.has(page)) byPage.set(page, { page: page, results: [], score: 0, occurrences: 0 });
      var g = byPage.get(page);
      g.results.push(r);
      g.score += r.score;
      g.occurrences += r.occurrences;
    });
    var groups = Array.from(byPage.values());
    var order = form.elements.sort.value;
    groups.sort(function (a, b) {
      if (order === "year") {
        var ya = (reports[a.page] || [])[2] || 0, yb = (reports[b.page] || [])[2] || 0;
        if (ya !== yb) return yb - ya;
      }
      return b.score - a.score;
    });
    groups.forEach(function (g) { g.results.sort(function (a, b) { return a.doc - b.doc; }); });
    return groups;
  }

  function show(state, final) {
    var groups = groupsOf(state);
    var inReports = groups.filter(function (g) { return reports[g.page]; });
    var sections = state.found.length;
    var occurrences = state.found.reduce(function (n, r) { return n + r.occurrences; }, 0);
    var words = "“" + input.value.trim() + "”";
    var candidateReports = state.candidatePages.filter(function (p) { return reports[p]; }).length;
    var others = state.candidatePages.length - candidateReports;
    var text;
    if (!state.candidates.length || (final && !sections)) {
      text = words + "：没有找到" + (filtered(state) ? "（在所选的地区、层级、年份中）" : "") + "。" +
        (state.rejected ? "有 " + state.rejected + " 个章节含有这些字，但不相连。" : "");
    } else if (final || state.exact) {
      // Final, or the index alone decides (every candidate holds the words): the true counts.
      var n = final ? inReports.length : candidateReports, m = final ? sections : state.candidates.length;
      text = words + "：" + n + " 份报告、" + m + " 个章节" + (final && occurrences ? "，共 " + occurrences + " 处" : "") +
        ((final ? groups.length - inReports.length : others) > 0 ? "；另有 " + (final ? groups.length - inReports.length : others) +
         " 个其他页面（名词页、索引等）" : "") + (filtered(state) ? "（已按所选条件筛选）" : "") + "。";
      if (final && state.rejected) text += "另有 " + state.rejected + " 个章节含有这些字但不相连，未计入。";
      if (!final) text += "正在载入原文摘录：" + state.checked + " / " + state.queue.length + "。";
    } else {
      text = words + "：已核对 " + state.checked + " / " + state.queue.length + " 个候选章节，确认 " +
        inReports.length + " 份报告、" + sections + " 个章节。候选共 " + candidateReports + " 份报告，核对完才是准确数字。";
    }
    if (state.everySection && !final) {
      text += "（单个常用字见于大多数章节，索引无法缩小范围：逐一核对全部章节。输入两个字以上的词语会快得多。）";
    }
    summary.textContent = text;
    render(state, groups, final);
  }

  function filtered(state) {
    return !!(state.f.place || state.f.level || state.f.from || state.f.to < 9999);
  }

  function render(state, groups, final) {
    list.textContent = "";
    var limit = Math.max(GROUPS_PER_PAGE, state.shown);
    groups.slice(0, limit).forEach(function (g) { list.appendChild(groupItem(g, state)); });
    state.shown = Math.min(limit, groups.length);
    more.hidden = groups.length <= limit;
    more.textContent = "显示更多报告（还有 " + (groups.length - limit) + " 份）";
    more.onclick = function () { state.shown = limit + GROUPS_PER_PAGE; render(state, groups, final); };
  }

  function highlightParam(state) {
    return encodeURIComponent(state.words.map(function (w) { return w.text; }).join(" "));
  }

  function groupItem(g, state) {
    var r = reports[g.page];
    var li = el("li", { "class": "search-page__group" });
    var head = el("p", { "class": "search-page__report" });
    var title = r ? r[4] : g.results[0].pageTitle;
    head.appendChild(el("a", { href: new URL(g.page, base).href + "?h=" + highlightParam(state) }, title));
    var facts = r ? [r[0], r[1], r[2] ? r[2] + " 年" : ""].filter(Boolean).join(" · ") + " · " : "";
    head.appendChild(el("small", {}, "　" + facts + g.results.length + " 个章节" + (g.occurrences ? "、" + g.occurrences + " 处" : "")));
    li.appendChild(head);
    var sections = el("ul", { "class": "search-page__sections" });
    g.results.forEach(function (result, i) {
      var item = sectionItem(result, state);
      if (i >= SECTIONS_SHOWN) item.hidden = true;
      sections.appendChild(item);
    });
    li.appendChild(sections);
    if (g.results.length > SECTIONS_SHOWN) {
      var rest = el("button", { type: "button", "class": "search-page__rest" },
                    "显示本报告其余 " + (g.results.length - SECTIONS_SHOWN) + " 个章节");
      rest.addEventListener("click", function () {
        Array.prototype.forEach.call(sections.children, function (c) { c.hidden = false; });
        rest.remove();
      });
      li.appendChild(rest);
    }
    return li;
  }

  function sectionItem(result, state) {
    var li = el("li");
    var url = new URL(result.location.split("#")[0], base).href + "?h=" + highlightParam(state) +
      (result.location.indexOf("#") >= 0 ? "#" + result.location.split("#")[1] : "");
    li.appendChild(el("a", { href: url }, result.location.indexOf("#") >= 0 ? result.title : "开头（第一个标题之前）"));
    var spans = result.spans.length ? result.spans : [];
    var p = el("p", { "class": "search-page__context" });
    context(p, result.text, spans[0] || null);
    if (spans.length > 1) p.appendChild(el("small", {}, "（本节共 " + spans.length + " 处）"));
    li.appendChild(p);
    return li;
  }

  // The words around a hit (≤ CONTEXT characters either side, cut at code points), the hit marked.
  function context(p, text, hit) {
    var chars = Array.from(text);
    if (!hit || hit[1] <= hit[0]) { p.appendChild(document.createTextNode(chars.slice(0, 2 * CONTEXT).join("") + (chars.length > 2 * CONTEXT ? "…" : ""))); return; }
    // Offsets are UTF-16 units: turn them into code-point positions.
    var start = Array.from(text.slice(0, hit[0])).length, end = start + Array.from(text.slice(hit[0], hit[1])).length;
    var from = Math.max(0, start - CONTEXT), to = Math.min(chars.length, end + CONTEXT);
    p.appendChild(document.createTextNode((from > 0 ? "…" : "") + chars.slice(from, start).join("")));
    p.appendChild(el("mark", {}, chars.slice(start, end).join("")));
    p.appendChild(document.createTextNode(chars.slice(end, to).join("") + (to < chars.length ? "…" : "")));
  }
})();
