/* Search worker for the sharded index of build_corpus/renderer/search_index.py.
 *
 * It replaces the body of Material's search worker (mkdocs_hooks.py copies it over the built
 * file), so Material's search box, result list and highlighting stay as they are. It speaks
 * Material's worker protocol: {type: 0 SETUP, data: index} → {type: 1 READY};
 * {type: 2 QUERY, data: text} → {type: 3 RESULT, data: {items: [[doc, …], …]}}.
 * Index files are scripts calling __shard(name, data), loaded with importScripts: synchronous
 * in a real worker, a promise in the iframe Material uses from file:// (both awaited here).
 *
 * The same file is the core of the full results page (docs/assets/javascripts/search_page.js),
 * loaded there as a plain script with self.__searchPage set: it then only defines SearchCore
 * (candidates, verification, snippets) and listens to no message. Material's list shows the
 * results whose text fits a first query's budget; the full page checks every candidate.
 */
"use strict";

// The Han ranges and key rules of search_index.py (HAN; HAN_RUN and LATIN_WORD, which TOKEN joins; keys_of, shard_of).
const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ebef}";
const TOKEN = new RegExp(`[${HAN}]+|[a-z0-9]+`, "gu");
// search_index.QUOTE_MARKS: quotation marks inside a phrase do not cut it (“三医”联动 is 三医联动).
const QUOTE_MARKS = "“”‘’「」『』\"'";
const QUOTES_OUT = new RegExp(`[${QUOTE_MARKS}]`, "gu");
const IS_HAN = new RegExp(`^[${HAN}]`, "u");
const CHUNK_DOCS = 256;
const TITLE_FLAG = 2;   // search_index.FLAG_BITS, TITLE_FLAG, MANY_FLAG
const MANY_FLAG = 1;
// search_index.DIGITS: a key's postings are one string, each value its quotient by 64 in the last 29
// digits (base 29, lowest first), then its remainder in one of the first 64.
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ !#$%&'()*+,./:;<=>?@[]^`{|}~";
const FINAL = 64, MORE = 29;
const DIGIT = new Int8Array(128);
for (let i = 0; i < DIGITS.length; i++) DIGIT[DIGITS.charCodeAt(i)] = i;

const MAX_CHUNKS = 8;         // document chunks Material's list may load (≈ 32 KB each)
const MAX_PAGES = 8;          // report pages Material's list may read for their text (a site in sub-sites)
// What those pages may weigh together: a first query stays < 1 MB with its chunks and postings. Report
// pages run from ~40 KB (a town) to ~250 KB (a province), so a count alone is no bound: 8 synthetic
// county pages made a first search 1.32 MB at 10,000 reports (issue #27).
const FIRST_PAGE_BYTES = 450_000;
const PAGE_BATCH = 2;         // pages read at once under a byte budget (readPages)
const SNIPPET = 140;          // characters of text shown under a result
const FULL_PAGE = "search.html";   // the full results page (build_corpus/pages/search.py)

// Pinyin typed without spaces (wushui, sangaiyichai). Term pages show each term's pinyin as
// spaced syllables (site.py), so a Latin word the index does not know is tried as syllables, in
// each way it can be cut, until one is found (sang ai … finds nothing, san gai yi chai does).
// Every toneless syllable pypinyin gives a CJK ideograph (v for ü), vowel-less interjections aside.
const PINYIN = new Set((
  "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang " +
  "cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan " +
  "chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de den deng di dian " +
  "diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo " +
  "fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai " +
  "han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao " +
  "jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan " +
  "kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo " +
  "long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming " +
  "miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou " +
  "nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu " +
  "qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong " +
  "rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shen " +
  "sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai " +
  "tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen " +
  "weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi " +
  "yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang " +
  "zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu " +
  "zuan zui zun zuo").split(" "));
const MAX_SPLITS = 8;

const loaded = new Map();
let index = null;             // {base, count, docs, common, root, site} once set up

// A document chunk names a page and its title once (search_index.read_chunk): a location "#anchor" is
// on the previous record's page, a page title 0 is the previous record's.
function expandChunk(records) {
  let page = "", pageTitle = "";
  for (const rec of records) {
    if (rec[0].startsWith("#")) rec[0] = page + rec[0];
    page = rec[0].split("#")[0];
    if (rec.length > 3) {
      if (rec[3] === 0) rec[3] = pageTitle;
      pageTitle = rec[3] || pageTitle;
    }
  }
  return records;
}

self.__shard = (name, data) => { loaded.set(name, name.startsWith("d") ? expandChunk(data) : data); };

function siteRoot() {
  // In a real worker, our own URL; in Material's file:// iframe, the src of the worker script.
  let url = self.location.href;
  if (typeof parent !== "undefined" && parent !== self && "IFrameWorker" in parent)
    url = document.querySelector("script[src]").src;
  return new URL("../../../", url).href;
}

function normalise(text) {
  return text.normalize("NFKC").toLowerCase();
}

function tokens(text) {
  return normalise(text).replace(QUOTES_OUT, "").match(TOKEN) || [];
}

function keysOf(word) {
  const keys = new Set();
  for (const token of tokens(word)) {
    if (IS_HAN.test(token)) {
      const chars = [...token];
      if (chars.length === 1) keys.add(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i] + chars[i + 1]);
    } else keys.add(token);
  }
  return [...keys];
}

function shardOf(key) {
  let h = 0;
  for (const ch of key) h = (Math.imul(h, 31) + ch.codePointAt(0)) >>> 0;
  return h % index.count;
}

async function load(names) {
  const missing = [...new Set(names)].filter(name => !loaded.has(name));
  if (!missing.length) return;
  try {
    await importScripts(...missing.map(name => `${index.base}${name}.js`));
  } catch (error) {
    console.warn("search: could not load", missing, error);
  }
}

// Postings of a key: Map doc id → {tf, title}. A value is delta << 2 | title << 1 | used more than once.
function postings(key) {
  const list = (loaded.get(`b${shardOf(key)}`) || {})[key] || "";
  const docs = new Map();
  let doc = 0, more = 0, scale = 1;
  for (let i = 0; i < list.length; i++) {
    const digit = DIGIT[list.charCodeAt(i)];
    if (digit >= FINAL) { more += (digit - FINAL) * scale; scale *= MORE; continue; }
    const value = digit + FINAL * more;
    doc += Math.floor(value / 4);
    docs.set(doc, {tf: value & MANY_FLAG ? 2 : 1, title: (value & TITLE_FLAG) !== 0});
    more = 0; scale = 1;
  }
  return docs;
}

function idf(df) {
  return Math.log(1 + (index.docs - df + 0.5) / (df + 0.5));
}

// Documents holding every key of a word, with a bigram score (BM25-like, title hits weigh more).
function matchWord(keys) {
  const lists = keys.map(postings).sort((a, b) => a.size - b.size);
  if (!lists.length || !lists[0].size) return new Map();
  const scores = new Map();
  for (const doc of lists[0].keys()) {
    let score = 0;
    for (const list of lists) {
      const hit = list.get(doc);
      if (!hit) { score = -1; break; }
      score += idf(list.size) * (hit.tf * 2.2 / (hit.tf + 1.2) + (hit.title ? 2 : 0));
    }
    if (score >= 0) scores.set(doc, score);
  }
  return scores;
}

function record(doc) {
  const chunk = loaded.get(`d${Math.floor(doc / CHUNK_DOCS)}`);
  return chunk && chunk[doc % CHUNK_DOCS];
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Text around the first hit, with every query token marked.
function snippet(text, marks) {
  const lower = text.toLowerCase();
  let at = -1;
  for (const mark of marks) {
    const i = lower.indexOf(mark);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at - 40);
  let piece = text.slice(start, start + SNIPPET);
  const prefix = start > 0 ? "…" : "";
  const suffix = start + SNIPPET < text.length ? "…" : "";
  if (!marks.length) return escapeHtml(prefix + piece + suffix);
  const pattern = new RegExp(marks.map(escapeRegExp).join("|"), "giu");
  let out = "", last = 0;
  for (const m of piece.matchAll(pattern)) {
    out += escapeHtml(piece.slice(last, m.index)) + `<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return escapeHtml(prefix) + out + escapeHtml(piece.slice(last)) + escapeHtml(suffix);
}

// What to mark in a snippet: each word as typed, and its Han and longer Latin/digit pieces
// (a query 1+3+1+X marks itself, not every 1 in the text); longest first.
function highlights(words) {
  const marks = new Set();
  for (const word of words) {
    marks.add(normalise(word));
    for (const token of tokens(word)) if (IS_HAN.test(token) || token.length > 1) marks.add(token);
  }
  return [...marks].sort((a, b) => b.length - a.length);
}

// The ways to cut a Latin word into two or more pinyin syllables, longer syllables first.
function syllableSplits(word) {
  const splits = [];
  const walk = (at, parts) => {
    if (splits.length >= MAX_SPLITS) return;
    if (at === word.length) {
      if (parts.length > 1) splits.push(parts.join(" "));
      return;
    }
    for (let end = Math.min(word.length, at + 6); end > at; end--)
      if (PINYIN.has(word.slice(at, end))) walk(end, [...parts, word.slice(at, end)]);
  };
  walk(0, []);
  return splits;
}

// A query's words, split at spaces: a word in quotes ("…" or “…”, which may hold spaces) is an exact
// phrase, punctuation included; any other word matches its letters in a row with punctuation and
// quotes aside (“四新”产业 finds 四新产业 and “四新”产业 alike).
const EXACT = /(^|\s)["“＂]([^"“”＂]+)["”＂](?=\s|$)/g;

function parseQuery(query) {
  const words = [];
  const rest = query.replace(EXACT, (whole, before, phrase) => {
    if (tokens(phrase).length) words.push({text: phrase.trim(), exact: true});
    return before + " ";
  });
  for (const word of rest.split(/\s+/)) if (tokens(word).length) words.push({text: word, exact: false});
  return words;
}

// A word's keys the index narrows by: a common character (search_index.is_common) has its titles'
// postings only, so in a word with other keys (稳增长“18”条's 条) it is left to the text check, which
// reads the whole word; a word of common characters alone keeps them (isOpen says what that means).
function narrowingKeys(keys) {
  const narrowing = keys.filter(key => !index.common.has(key));
  return narrowing.length ? narrowing : keys;
}

// Keys for each word, pinyin typed without spaces tried as syllables where the index knows no such word.
async function keysForWords(words) {
  const keysPerWord = words.map(word => narrowingKeys(keysOf(word.text)));
  await load(keysPerWord.flat().map(key => `b${shardOf(key)}`));
  for (let w = 0; w < words.length; w++) {
    const word = normalise(words[w].text);
    if (words[w].exact || !/^[a-z]+$/.test(word) || matchWord(keysPerWord[w]).size) continue;
    for (const spaced of syllableSplits(word)) {
      const keys = narrowingKeys(keysOf(spaced));
      await load(keys.map(key => `b${shardOf(key)}`));
      if (matchWord(keys).size) { words[w] = {text: spaced, exact: false}; keysPerWord[w] = keys; break; }
    }
  }
  return keysPerWord;
}

// A word the index holds in titles only (search_index.is_common): characters found in most sections, and
// nothing else the index could narrow it by (narrowingKeys).
function isOpen(keys) {
  return keys.length > 0 && keys.every(key => index.common.has(key));
}

// Documents holding all keys of at least one word (`all`: of every word), more words first, then score.
// An open word next to others picks no candidates: each of theirs may hold it, and check() reads the text.
// Open words alone: the search box takes the sections titled with them; the full results page (`all`,
// with the index's pages.js loaded) every section, each checked in its text as it loads.
function rankCandidates(keysPerWord, all) {
  const open = keysPerWord.map(isOpen);
  const otherWords = open.includes(false);
  if (all && keysPerWord.length && !otherWords && loaded.has("pages")) {
    const everyWord = [...keysPerWord.keys()];
    return loaded.get("pages").of.flatMap((chunk, c) =>
      chunk.map((_, i) => ({doc: c * CHUNK_DOCS + i, score: 0, words: new Set(everyWord)})));
  }
  const found = new Map();
  keysPerWord.forEach((keys, w) => {
    if (open[w] && otherWords) return;
    for (const [doc, score] of matchWord(keys)) {
      const entry = found.get(doc) || {doc, score: 0, words: new Set()};
      entry.score += score;
      entry.words.add(w);
      found.set(doc, entry);
    }
  });
  if (otherWords)
    for (const entry of found.values()) open.forEach((isIt, w) => { if (isIt) entry.words.add(w); });
  let ranked = [...found.values()];
  if (all) ranked = ranked.filter(entry => entry.words.size === keysPerWord.length);
  return ranked.sort((a, b) => b.words.size - a.words.size || b.score - a.score);
}

// True when the index alone decides every word: holding its keys is holding the word (one Han
// character or pair, one Latin/digit word), so counts need no text.
function indexIsExact(words) {
  return words.every(word => {
    const found = tokens(word.text);
    if (found.length !== 1 || index.common.has(found[0])) return false;
    if (word.exact && normalise(word.text).trim() !== found[0]) return false;
    return !IS_HAN.test(found[0]) || [...found[0]].length <= 2;
  });
}

// Where each word occurs in a document's title and text: [start, end) pairs in the original text.
function wordHits(text, word) {
  const hits = [];
  if (word.exact) {
    const needle = normalise(word.text).trim(), hay = normalise(text);
    if (!needle || hay.length !== text.length) return hitsLoose(text, tokens(word.text));
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) hits.push([at, at + needle.length]);
    return hits;
  }
  return hitsLoose(text, tokens(word.text));
}

// The word's tokens in a row, with at most a few marks between them that stay inside a phrase
// (1+3+1+X, 五统一、一开放, “411”工程), never a space, a sentence's or a clause's end: 3.五位一体 is
// not the 3 that ends one 名词解释 entry and the 五位一体 that starts the next. A Latin or digit token
// at either end is a whole word (3 is not the end of 13).
const GLUE = `[^${HAN}a-z0-9\\s。！？；：，!?;:,]{0,3}`;

function hitsLoose(text, wordTokens) {
  if (!wordTokens.length) return [];
  const quotes = `[${QUOTE_MARKS}]*`;
  const latin = token => !IS_HAN.test(token);
  const pattern = (latin(wordTokens[0]) ? "(?<![a-z0-9])" : "") +
    wordTokens.map(token => [...token].map(escapeRegExp).join(quotes)).join(GLUE) +
    (latin(wordTokens[wordTokens.length - 1]) ? "(?![a-z0-9])" : "");
  const hits = [];
  const hay = normalise(text);
  if (hay.length !== text.length) {   // NFKC changed lengths: positions are not the text's
    return hay.includes(wordTokens.join("")) || new RegExp(pattern, "u").test(hay) ? [[0, 0]] : [];
  }
  for (const m of hay.matchAll(new RegExp(pattern, "gu"))) hits.push([m.index, m.index + m[0].length]);
  return hits;
}

// A candidate checked against its text: null when some required word is not there as a phrase.
function check(entry, words, all) {
  const rec = record(entry.doc);
  if (!rec || rec[2] === null) return undefined;   // its chunk is not loaded, or its page not read (readPages)
  const [location, title, text, pageTitle = "", boost = 1] = rec;
  const terms = {};
  let score = 0, matched = 0, occurrences = 0;
  const spans = [];
  words.forEach((word, w) => {
    const titleHits = location.includes("#") ? wordHits(title, word).length : 0;   // a page's title is not its text
    const inTitle = titleHits > 0 || wordHits(title, word).length > 0;
    const inText = wordHits(text, word);
    terms[word.text] = inTitle || inText.length > 0;
    if (!entry.words.has(w) || !terms[word.text]) return;
    matched++;
    occurrences += inText.length + titleHits;
    spans.push(...inText);
    const canonTitle = tokens(title).join(" ");
    score += 1 + (inText.length ? 1 : 0) + (inTitle ? 2 : 0) + (canonTitle === tokens(word.text).join(" ") ? 4 : 0);
  });
  if (!matched || (all && matched < words.length)) return null;
  return {doc: entry.doc, location, title, text, pageTitle: pageTitle || title, matched, terms,
          occurrences, spans: spans.sort((a, b) => a[0] - b[0]), score: score * boost + entry.score / 100};
}

// Load the chunks of `entries` (at most `maxChunks` new ones, in the entries' order) and the pages
// holding the text of those whose record has none (at most `maxPages`, readPages), then check each
// entry so loaded. Returns [result|null per entry, undefined if not loaded].
async function verify(entries, words, all, maxChunks = Infinity, maxPages = MAX_PAGES, maxPageBytes = Infinity) {
  const wanted = [];
  for (const entry of entries) {
    const name = `d${Math.floor(entry.doc / CHUNK_DOCS)}`;
    if (loaded.has(name) || wanted.includes(name)) continue;
    if (wanted.length >= maxChunks) continue;
    wanted.push(name);
  }
  await load(wanted);
  await readPages(entries.map(entry => record(entry.doc)).filter(Boolean), maxPages, maxPageBytes);
  return entries.map(entry => check(entry, words, all));
}

async function search(query) {
  const words = parseQuery(query);
  if (!words.length || !index) return {items: []};
  const keysPerWord = await keysForWords(words);
  const ranked = rankCandidates(keysPerWord, false);

  // Every candidate whose text a first query may load is checked; the rest are left to the
  // full results page, which the list's last entry opens.
  const checked = await verify(ranked, words, false, MAX_CHUNKS, MAX_PAGES, FIRST_PAGE_BYTES);
  const results = checked.filter(Boolean);
  const unchecked = checked.filter(result => result === undefined).length;
  const titlesOnly = keysPerWord.every(isOpen);   // the list holds the sections whose title has it
  const marks = highlights(words.map(word => word.text));
  for (const result of results) {
    result.title = escapeHtml(result.title);
    result.text = snippet(result.text, marks);
  }

  // Group by page, best page first (more query words found, then score); each group starts
  // with its best document and holds the page itself (Material shows it as the heading).
  results.sort((a, b) => b.matched - a.matched || b.score - a.score);
  const groups = new Map();
  for (const result of results) {
    const page = result.location.split("#")[0];
    if (!groups.has(page)) groups.set(page, []);
    groups.get(page).push(result);
  }
  const items = [];
  for (const [page, docs] of groups) {
    // The page's own entry (the group's heading) carries the words its sections matched:
    // Material builds the opened page's ?h= highlight from them.
    const pageTerms = {};
    for (const doc of docs)
      for (const [word, hit] of Object.entries(doc.terms)) pageTerms[word] = pageTerms[word] || hit;
    if (!docs.some(doc => doc.location === page))
      docs.push({location: page, title: escapeHtml(docs[0].pageTitle), text: "", score: 0, terms: pageTerms});
    // root: a sub-site's search reads the main site's index, whose locations are the main site's
    items.push(docs.map(({location, title, text, score, terms}) => ({location: index.root + location, title, text, score, terms})));
  }
  if ((unchecked || titlesOnly) && items.length) {
    // Said by a hidden mark in the first page's title (Material inserts titles as HTML): readers.js
    // then says in the count that the list is partial, and points to the full results page. A mark,
    // not an extra entry: the list holds only results.
    const head = items[0].find(doc => !doc.location.includes("#")) || items[0][0];
    head.title += `<span class="search-partial" data-unchecked="${unchecked}"${titlesOnly ? " data-titles-only" : ""} hidden></span>`;
  }
  return {items};
}

// --- a site in sub-sites: report pages hold their own text ----------------------------------
// The index keeps no copy of a report page's text (its record's text is null): the text of the best
// candidates' pages is read from the pages themselves, cut into sections as search_index.page_documents
// cuts them (Material's parser: a section per heading with an id, the page's first one at its address;
// headings' own text, scripts and anything marked data-search-exclude left out).

const pageTexts = new Map();   // page → Map(location → text), or null when the page could not be read

let pageBytes = 0;             // what reading pages has downloaded (the full results page counts it)

// A text's size in UTF-8, as it was downloaded (uncompressed): length counts UTF-16 units.
function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) { n += 4; i++; }   // a surrogate pair
    else n += 3;
  }
  return n;
}

// The text of `records` whose text is not in the index, from their pages (at most `maxPages` new ones,
// in the records' order; under `maxBytes`, read a few at a time and stopped where the next would
// pass it at the mean size read so far). A page that cannot be read gives its sections no text: they
// are not found; a page not read leaves its sections unchecked (the list says it is partial).
async function readPages(records, maxPages = MAX_PAGES, maxBytes = Infinity) {
  const pages = [];
  for (const rec of records) {
    const page = rec[0].split("#")[0];
    if (rec[2] === null && !pageTexts.has(page) && !pages.includes(page) && pages.length < maxPages) pages.push(page);
  }
  // Under a byte budget: PAGE_BATCH at a time while that many of the largest page read so far still fit,
  // then one at a time while any room is left, so only the last page read may cross the budget (unless
  // a page of a batch is far larger than every page before it). Averages overshot: smaller pages first,
  // then a batch of larger ones.
  let read = 0;
  let done = 0;
  let largest = 0;
  while (done < pages.length) {
    let size = pages.length;
    if (maxBytes !== Infinity) {
      if (done && read >= maxBytes) break;
      size = !done || read + PAGE_BATCH * largest <= maxBytes ? PAGE_BATCH : 1;
    }
    const batch = pages.slice(done, done + size);
    done += batch.length;
    await Promise.all(batch.map(async page => {
      try {
        const response = await fetch(new URL(page, index.site).href);
        const html = response.ok ? await response.text() : "";
        const bytes = utf8Length(html);
        pageBytes += bytes;
        read += bytes;
        largest = Math.max(largest, bytes);
        pageTexts.set(page, response.ok ? sectionTexts(html, page) : null);
      } catch (error) {   // from file:// no page can be read: a site in sub-sites is read over http
        console.warn("search: could not read", page, error);
        pageTexts.set(page, null);
      }
    }));
  }
  for (const rec of records) {
    const page = rec[0].split("#")[0];
    if (rec[2] !== null || !pageTexts.has(page)) continue;
    const texts = pageTexts.get(page);
    rec[2] = texts ? texts.get(rec[0]) || "" : "";
  }
}

const SECTION_TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s\/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>|<!--[\s\S]*?-->/g;
const HEADING = /^h[1-6]$/;
const SPACE_AROUND = new Set(["p", "li", "ol", "ul", "pre"]);   // search_index._BLOCK_TAG, of the tags Material keeps
const SKIPPED = new Set(["script", "style", "object"]);
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
const ENTITIES = {amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0", para: "\u00b6"};

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function sectionTexts(html, page) {
  const from = html.indexOf(">", html.indexOf("<article")) + 1, to = html.lastIndexOf("</article>");
  const body = from > 0 && to > from ? html.slice(from, to) : "";
  const sections = [];   // {location, text, excluded, depth, heading}
  const open = [];       // the elements open here: {tag, skip, heading}
  let section = null, last = 0;
  const text = piece => {
    if (!piece || open.some(el => el.skip)) return;
    if (!section) {   // text before any heading: the page's preface
      if (!piece.trim()) return;
      section = {location: page, text: "", excluded: false, depth: 0};
      sections.push(section);
    }
    if (!open.some(el => el.heading)) section.text += piece;   // a heading's own text is its title
  };
  for (const m of body.matchAll(SECTION_TAG)) {
    text(decodeEntities(body.slice(last, m.index)));
    last = m.index + m[0].length;
    if (!m[2]) continue;   // a comment
    const tag = m[2].toLowerCase(), attrs = m[3] || "";
    if (SPACE_AROUND.has(tag)) text(" ");
    if (m[1]) {   // an end tag: only the innermost open element's counts (Material's parser)
      if (!open.length || open[open.length - 1].tag !== tag) continue;
      if (section && section.depth > open.length) {   // leaving the element a heading was in
        section.depth = Infinity;
        section = [...sections].reverse().find(s => s.depth <= open.length) || section;
      }
      open.pop();
      continue;
    }
    if (VOID.has(tag)) continue;
    const id = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    const excluded = /\sdata-search-exclude\b/i.test(attrs);
    const heading = HEADING.test(tag) && id !== null;
    open.push({tag, heading, skip: SKIPPED.has(tag) || excluded});
    if (heading && tag !== "h1" && !sections.length) sections.push({location: page, text: "", excluded: false, depth: 0});
    if (heading) {
      const anchor = decodeEntities(id[1] ?? id[2] ?? id[3]);
      section = {location: sections.length ? `${page}#${anchor}` : page, text: "", excluded, depth: open.length};
      sections.push(section);
    }
  }
  text(decodeEntities(body.slice(last)));
  const squeeze = value => value.replace(/\s+/g, " ").trim();
  return new Map(sections.filter(s => !s.excluded).map(s => [s.location, squeeze(s.text)]));
}

self.SearchCore = {
  // site: the main site's root (the index's locations are from there); by default, two folders above the index's
  setup(base, shards, site = new URL("../../", base).href) {
    index = {base, count: shards.count, docs: shards.docs, common: new Set(shards.common || ""), root: "", site};
  },
  parseQuery, keysForWords, rankCandidates, indexIsExact, isOpen, verify, check, record, highlights, normalise, tokens,
  load, CHUNK_DOCS, shard: name => loaded.get(name), pageBytes: () => pageBytes,
};

async function handle(message) {
  switch (message.type) {
    case 0: {
      const shards = message.data.config.shards;
      // root: where the main site is from this one's (a sub-site's "../"): the index's locations are the main site's.
      index = {base: new URL(shards.folder, siteRoot()).href, count: shards.count, docs: shards.docs,
               common: new Set(shards.common || ""), root: shards.root || "",
               site: siteRoot()};
      return {type: 1};
    }
    case 2:
      try {
        return {type: 3, data: await search(message.data)};
      } catch (error) {
        console.warn(`search: query failed: ${message.data}`, error);
        return {type: 3, data: {items: []}};
      }
    default:
      throw new TypeError("Invalid message type");
  }
}

// One message at a time, so a slow query's answer never arrives after a newer one's.
if (!self.__searchPage) {
  let queue = Promise.resolve();
  addEventListener("message", event => {
    queue = queue.then(() => handle(event.data)).then(reply => postMessage(reply), error => console.error("search:", error));
  });
}
