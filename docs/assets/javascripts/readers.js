/* Reader tools, without any library and without the network (the offline bundle runs it from file://):
 *
 *   permalinks   every paragraph and 名词解释 entry gets a ¶ link showing its anchor, on hover/focus
 *                (always, small, on touch screens); headings keep Material's ¶
 *   cite         "引用" copies a GB/T 7714-like reference with section, paragraph and URL; the
 *                reference's head (author, title, place, date) is the page's data, made in Python
 *                (build_corpus/citation.py), so the format has one home
 *   contribute   "建议注释" opens the repository's annotation form pre-filled with anchor and quote
 *   selection    selecting text in a paragraph offers "引用所选": the quotation, its paragraph's
 *                anchor and the full reference
 *   definitions  on a touch screen a tap on a term opens its definition in place, with a link on
 *   print        every collapsed block opens; the page's URL and citation are printed
 *   search       the search box's link to the full results page carries the query; when the list
 *                is partial (the worker marks it), the count says so
 *   outline      a report page's collapsible 目录 is drawn from its headings (the page does not carry
 *                the tree twice: the navigation has it)
 *
 * Everything the script adds is made with textContent/attributes, never from HTML strings.
 */
(function () {
  "use strict";

  searchLinks();

  var article = document.querySelector("article.md-content__inner");
  if (!article) return;
  var configNode = document.getElementById("__readers");
  var config = {};
  try { config = JSON.parse(configNode ? configNode.textContent : "{}") || {}; } catch (e) { config = {}; }
  var cite = config.cite || null;
  var PARAGRAPH = /^(?:preamble|(?:sec|appendix)-[0-9-]+)-p(\d+)$|^gloss-(.+)$/;
  var REPORT_HEADING = /^(?:sec|appendix)-|^glossary$/;   // the report's own headings, not the page's apparatus

  /* One element's tools: a failure there (a browser without an API, a text no one foresaw) stays
   * with that element and never stops the tools of the rest of the page. */
  function each(nodes, fn) {
    Array.prototype.forEach.call(nodes, function (node) {
      try { fn(node); } catch (e) { if (window.console) console.error("readers.js:", e); }
    });
  }

  /* The first n characters, counted by code point: a UTF-16 cut through 𠀀 or an emoji leaves half a
   * surrogate pair, which encodeURIComponent refuses (URIError). */
  function firstChars(text, n) {
    return Array.from(text).slice(0, n).join("");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    if (canonical && canonical.href) return canonical.href;
    return location.href.split("#")[0].split("?")[0];
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function headingText(h) {
    var copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink, .para-tools").forEach(function (x) { x.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* Where in the report an anchor is: 一、2017年工作回顾第2段 / 开头第1段 / 名词解释第3条. */
  function locator(id) {
    var m = PARAGRAPH.exec(id);
    if (!m) {
      var h = document.getElementById(id);
      return h ? headingText(h) : "";
    }
    if (m[2] !== undefined) {
      var g = document.getElementById("glossary");
      return (g ? headingText(g) : "名词解释") + "第" + m[2] + "条";
    }
    if (id.indexOf("preamble-") === 0) return "开头第" + m[1] + "段";
    var section = document.getElementById(id.replace(/-p\d+$/, ""));
    return (section ? headingText(section) : "") + "第" + m[1] + "段";
  }

  /* GB/T 7714: 主要责任者. 题名[R/OL]. 出版地: 出版者, 出版年: 引文位置[引用日期]. 获取和访问路径. */
  function reference(id) {
    var url = pageUrl() + (id ? "#" + id : "");
    if (!cite) {
      var title = document.title.replace(/ - [^-]*$/, "");
      return (config.site ? config.site + ". " : "") + title + "[EB/OL]. [" + today() + "]. " + url + ".";
    }
    var where = id ? locator(id) : "";
    return cite.reference + (where ? ": " + where : "") + "[" + today() + "]. " + url + ".";
  }

  /* --- status messages, read out by screen readers ------------------------------------ */
  var status = el("div", { "class": "readers-status", role: "status", "aria-live": "polite" });
  document.body.appendChild(status);
  var statusTimer = 0;
  function say(text) {
    status.textContent = text;
    status.classList.add("readers-status--visible");
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.classList.remove("readers-status--visible"); }, 5000);
  }

  function copy(text, done) {
    function fallback() {
      var area = el("textarea", { "aria-hidden": "true", "class": "readers-copy-buffer", readonly: "" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function citeButton(id, label) {
    var button = el("button", { type: "button", "class": "para-cite", "data-anchor": id || "",
                                 "aria-label": label }, "引用");
    button.addEventListener("click", function () {
      var text = reference(id);
      copy(text, function (ok) {
        say(ok ? "已复制引文：" + text : "无法自动复制，请手动复制：" + text);
      });
    });
    return button;
  }

  function suggestLink(id, quote) {
    if (!config.repo || !cite) return null;
    var params = ["template=annotation.yml", "title=" + encodeURIComponent("段落注释：" + cite.id + " " + id),
                  "report=" + encodeURIComponent(cite.id), "anchor=" + encodeURIComponent(id),
                  "quote=" + encodeURIComponent(quote), "page=" + encodeURIComponent(pageUrl() + "#" + id)];
    return el("a", { "class": "para-suggest", href: config.repo + "/issues/new?" + params.join("&"),
                     target: "_blank", rel: "noopener", "aria-label": "为这一段建议注释（" + id + "，在 GitHub 上打开）" },
              "建议注释");
  }

  /* --- paragraph tools ----------------------------------------------------------------- */
  each(article.querySelectorAll("p[id]"), function (p) {   // a paragraph's anchor is its id (pages/report.py)
    var id = p.id;
    if (!PARAGRAPH.test(id)) return;
    var quote = firstChars(p.textContent.replace(/\s+/g, ""), 24);
    var tools = el("span", { "class": "para-tools" });
    var link = el("a", { "class": "para-link", href: "#" + id, title: "本段链接（锚点 " + id + "）",
                         "aria-label": "本段链接，锚点 " + id });
    link.appendChild(el("span", { "aria-hidden": "true" }, "¶"));
    link.appendChild(el("span", { "class": "para-anchor" }, id));
    tools.appendChild(link);
    if (cite) tools.appendChild(citeButton(id, "复制本段引文（" + id + "）"));
    var suggest = /^gloss-/.test(id) ? null : suggestLink(id, quote);   // a 名词解释 entry is the report's own note
    if (suggest) tools.appendChild(suggest);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(tools);
  });

  /* --- the report's own heading tree in its 目录 block (build_corpus/pages/report.py: _outline_block) --- */
  each(article.querySelectorAll("details.report-outline"), function (details) {
    var root = el("ul"), stack = [{ level: 1, list: root }];
    each(article.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id]"), function (h) {
      if (!REPORT_HEADING.test(h.id)) return;
      var level = Number(h.tagName.charAt(1));
      while (stack.length > 1 && stack[stack.length - 1].level >= level) stack.pop();
      var item = el("li"), children = el("ul");
      item.appendChild(el("a", { href: "#" + h.id }, headingText(h)));
      item.appendChild(children);
      stack[stack.length - 1].list.appendChild(item);
      stack.push({ level: level, list: children });
    });
    each(root.querySelectorAll("ul"), function (ul) { if (!ul.children.length) ul.remove(); });
    if (!root.children.length) return;
    Array.prototype.slice.call(details.children).forEach(function (child) {
      if (child.tagName !== "SUMMARY") child.remove();
    });
    details.appendChild(root);
  });

  if (cite) {
    each(article.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id]"), function (h) {
      if (!REPORT_HEADING.test(h.id)) return;
      var tools = el("span", { "class": "para-tools para-tools--heading" });
      tools.appendChild(citeButton(h.id, "复制本节引文（" + headingText(h) + "）"));
      h.appendChild(tools);
    });
    /* The whole report: its reference with access date and URL, and a copy button. */
    each(article.querySelectorAll(".report-cite"), function (p) {
      p.textContent = reference("");
      p.appendChild(document.createTextNode(" "));
      p.appendChild(citeButton("", "复制本报告的引文"));
    });
  }

  citeSelection();

  /* --- definitions on touch screens ------------------------------------------------------ */
  // Not the ¶ links this script puts on 名词解释 entries (para-link): their href is #gloss-… too.
  var TERM_LINK = 'a[href*="terms/"][title]:not(.para-link), a[href^="#gloss-"][title]:not(.para-link)';
  var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
  // The title is HTML for Material's tooltip (escaped twice by build_corpus.safe_text.tooltip_attr):
  // read it as text once, in an inert document where nothing loads or runs.
  var parser = new DOMParser();
  function titleText(value) {
    return parser.parseFromString(value || "", "text/html").body.textContent;
  }
  // A page writes a definition's tooltip once, on its first link (pages/links.py); the later links
  // to it (class term-link, no title) take that title here, before Material mounts its tooltips.
  // Links to the report's own 名词解释 entry carry none: their title is the entry's definition, read
  // from the entry on this page and cut as build_corpus/safe_text.py cuts a tooltip (TOOLTIP_CHARS).
  var TOOLTIP_CHARS = 200;
  function entryDefinition(id) {
    var entry = document.getElementById(id);
    var strong = entry && entry.querySelector(":scope > strong");
    if (!strong) return "";
    var text = "";
    for (var n = strong.nextSibling; n; n = n.nextSibling) {
      if (n.nodeType === 1 && n.matches(".gloss-term, .gloss-back, .para-tools")) continue;
      text += n.textContent;
    }
    var chars = Array.from(text.replace(/^\s*：/, "").replace(/\s+/g, " ").trim());
    return chars.length > TOOLTIP_CHARS ? chars.slice(0, TOOLTIP_CHARS - 1).join("") + "…" : chars.join("");
  }
  function asHtml(text) {   // Material shows a title as HTML (innerHTML): the text, escaped once more
    return text.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  var titles = {};
  each(article.querySelectorAll(TERM_LINK), function (a) {
    var href = a.getAttribute("href");
    if (!(href in titles)) titles[href] = a.getAttribute("title");
  });
  each(article.querySelectorAll("a.term-link:not([title])"), function (a) {
    var href = a.getAttribute("href");
    if (!(href in titles)) titles[href] = /^#gloss-/.test(href) ? asHtml(entryDefinition(href.slice(1))) : "";
    if (titles[href]) a.setAttribute("title", titles[href]);
  });
  each(article.querySelectorAll(TERM_LINK), function (a) {
    a.setAttribute("data-definition", titleText(a.getAttribute("title")));
    a.classList.add("term-link");
    // Material would show the title as a tooltip on tap too; the popover replaces it there.
    if (touch) a.removeAttribute("title");
  });

  var popover = null;
  var opener = null;
  function closePopover() {
    if (!popover) return;
    popover.remove();
    popover = null;
    if (opener) opener.focus({ preventScroll: true });
    opener = null;
  }

  function openPopover(a) {
    closePopover();
    opener = a;
    var href = a.getAttribute("href");
    var own = href.charAt(0) === "#";
    // A footnote mark ([3]) names its entry's term; a term link names itself.
    var entry = own ? document.getElementById(href.slice(1)) : null;
    var named = entry && entry.parentElement && entry.parentElement.querySelector("strong");
    var term = (a.closest(".footnote-ref") && named ? named.textContent : a.textContent).trim();
    popover = el("div", { "class": "def-popover", role: "dialog", "aria-modal": "false",
                          "aria-label": "名词释义：" + term, tabindex: "-1" });
    var head = el("div", { "class": "def-popover__head" });
    head.appendChild(el("strong", { "class": "def-popover__term" }, term));
    var close = el("button", { type: "button", "class": "def-popover__close", "aria-label": "关闭释义" }, "×");
    close.addEventListener("click", closePopover);
    head.appendChild(close);
    popover.appendChild(head);
    popover.appendChild(el("p", { "class": "def-popover__text" }, a.getAttribute("data-definition")));
    var more = el("a", { "class": "def-popover__more", href: href },
                  own ? "看本报告的名词解释 →" : "打开名词页：各报告的释义和用例 →");
    more.addEventListener("click", function () { closePopover(); });
    popover.appendChild(more);
    document.body.appendChild(popover);
    popover.focus({ preventScroll: true });
  }

  article.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a.term-link");
    if (!a) return;
    var byTouch = event.pointerType === "touch" || touch;
    if (!byTouch) return;
    event.preventDefault();
    openPopover(a);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePopover();
  });
  document.addEventListener("click", function (event) {
    if (popover && !popover.contains(event.target) && !(event.target.closest && event.target.closest("a.term-link"))) {
      closePopover();
    }
  });

  /* --- print --------------------------------------------------------------------------- */
  var printed = el("aside", { "class": "print-only print-cite" });
  printed.appendChild(el("p", {}, "本页网址：" + pageUrl()));
  printed.appendChild(el("p", {}, "引用：" + reference("")));
  article.appendChild(printed);
  var closed = [];
  window.addEventListener("beforeprint", function () {
    printed.lastChild.textContent = "引用：" + reference("");
    // The provenance's long lists (.print-skip) stay out of print: the page's URL leads to them.
    closed = Array.prototype.filter.call(article.querySelectorAll("details:not(.print-skip)"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  /* --- search: the full results page ------------------------------------------------------ */
  function searchLinks() {
    var all = document.querySelector("[data-search-all]");
    var box = document.querySelector("input.md-search__input");
    var meta = document.querySelector(".md-search-result__meta");
    var list = document.querySelector(".md-search-result__list");
    if (!all || !box) return;
    var page = all.getAttribute("href").split("?")[0];
    function update() {
      var q = box.value.trim();
      all.setAttribute("href", page + (q ? "?query=" + encodeURIComponent(q) : ""));
    }
    box.addEventListener("input", update);
    box.addEventListener("keyup", update);
    if (!meta || !list || !window.MutationObserver) return;
    new MutationObserver(function () {
      var partial = list.querySelector(".search-partial");
      all.classList.toggle("md-search__all--wanted", !!partial);
      if (!partial || /^(先列出|只列出)/.test(meta.textContent)) return;   // Material rewrites it per query
      var pages = (meta.textContent.match(/\d+/) || [list.children.length])[0];
      if (partial.hasAttribute("data-titles-only")) {   // one character found in most sections: titles only
        meta.textContent = "只列出标题含有这个字的 " + pages + " 个页面（它见于大多数章节）；正文中的全部用例见上方“全部结果”";
        return;
      }
      meta.textContent = "先列出 " + pages + " 个页面，不是全部：还有 " + partial.getAttribute("data-unchecked") +
        " 个章节未核对，见上方“全部结果”";
    }).observe(list, { childList: true });
  }

  /* --- cite what you select ------------------------------------------------------------------ */
  function citeSelection() {
    if (!cite || !window.getSelection) return;
    var MAX_QUOTE = 300;   // code points of the selection quoted; longer ones end with …
    var button = el("button", { type: "button", "class": "cite-selection", hidden: "" }, "引用所选");
    document.body.appendChild(button);
    var chosen = null;

    // The selected words and the paragraph they start in, without the paragraph tools' own text.
    function selection() {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
      var range = sel.getRangeAt(0);
      var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
      var p = start && start.closest ? start.closest("p") : null;
      if (!p || !article.contains(p)) return null;
      if (!PARAGRAPH.test(p.id)) return null;
      var copy = range.cloneContents();
      copy.querySelectorAll(".para-tools, .gloss-back, .gloss-term").forEach(function (x) { x.remove(); });
      var chars = Array.from(copy.textContent.replace(/\s+/g, " ").trim());
      if (!chars.length) return null;
      var text = chars.length > MAX_QUOTE ? chars.slice(0, MAX_QUOTE).join("") + "…" : chars.join("");
      return { id: p.id, text: text, rect: range.getBoundingClientRect() };
    }

    function place() {
      chosen = selection();
      if (!chosen) { button.hidden = true; return; }
      button.hidden = false;
      if (touch) { button.classList.add("cite-selection--bar"); return; }   // a bar above the phone's own menu
      var top = window.scrollY + chosen.rect.bottom + 6, left = window.scrollX + chosen.rect.left;
      button.style.top = top + "px";
      button.style.left = Math.min(left, window.scrollX + document.documentElement.clientWidth - 120) + "px";
    }

    var timer = 0;
    document.addEventListener("selectionchange", function () { clearTimeout(timer); timer = setTimeout(place, 200); });
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });   // keep the selection
    button.addEventListener("click", function () {
      if (!chosen) return;
      var text = "“" + chosen.text + "”\n" + reference(chosen.id);
      copy(text, function (ok) { say(ok ? "已复制所选文字及引文：" + text : "无法自动复制，请手动复制：" + text); });
    });
  }
})();
