// Runs the site's built search worker under Node, as the browser would, and reports what each
// query returned and which index files it downloaded (bytes raw and gzipped).
//
//   node tools/search_query.mjs SITE_DIR QUERY [QUERY…]        → one JSON line per query
//   node tools/search_query.mjs --all SITE_DIR QUERY [QUERY…]  → every section the full results page
//                                                                 finds (search.html), checked
//
// Each query runs in a fresh worker, so its downloads are those of a reader's first search. A site in
// sub-sites has the worker read report pages for their text: fetch() here reads the built page as a
// server would send it, and counts it with the index files.
// Used by tests/test_search_index.py and benchmarks/run.py; no dependencies beyond Node.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import {fileURLToPath, pathToFileURL} from "node:url";

const args = process.argv.slice(2);
const all = args[0] === "--all";
const [siteDir, ...queries] = all ? args.slice(1) : args;
if (!siteDir || !queries.length) {
  console.error("usage: node tools/search_query.mjs SITE_DIR QUERY [QUERY…]");
  process.exit(2);
}
const site = path.resolve(siteDir);
const workers = path.join(site, "assets", "javascripts", "workers");
const workerFile = fs.readdirSync(workers).find(name => /^search\..*\.min\.js$/.test(name));
if (!workerFile) {
  console.error(`no search worker in ${workers}`);
  process.exit(2);
}
const workerPath = path.join(workers, workerFile);
const workerCode = fs.readFileSync(workerPath, "utf-8");
const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf-8"));

function runQuery(query) {
  const files = [];
  let onMessage = null;
  const fullPage = all;
  const replies = [];
  const context = {
    console, URL, Math, Map, Set, Promise, JSON, RegExp, Array, Object, String, TypeError,
    location: {href: pathToFileURL(workerPath).href},
    addEventListener: (type, handler) => { if (type === "message") onMessage = handler; },
    postMessage: reply => replies.push(reply),
    importScripts: (...urls) => {
      for (const url of urls) {
        const file = fileURLToPath(url);
        const code = fs.readFileSync(file);   // throws like a failed importScripts
        files.push({file: path.relative(site, file), bytes: code.length, gzip: zlib.gzipSync(code).length});
        vm.runInContext(code.toString("utf-8"), context, {filename: file});
      }
    },
    fetch: async url => {
      const file = fileURLToPath(url);
      const body = fs.readFileSync(file);   // throws like a failed request
      files.push({file: path.relative(site, file), bytes: body.length, gzip: zlib.gzipSync(body).length});
      return {ok: true, status: 200, text: async () => body.toString("utf-8")};
    },
  };
  context.self = context;
  context.__searchPage = fullPage;
  vm.createContext(context);
  vm.runInContext(workerCode, context, {filename: workerPath});
  if (fullPage) return fullResults(context, query, files);
  const send = data => onMessage({data});
  send({type: 0, data: {config: index.config, docs: index.docs, options: {}}});
  send({type: 2, data: query});
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const wait = () => {
      if (replies.length >= 2) return resolve({query, replies, files});
      if (Date.now() - started > 10_000) return reject(new Error(`no answer to ${query}`));
      setTimeout(wait, 1);
    };
    wait();
  });
}

// What search.html does (docs/assets/javascripts/search_page.js), without filters: every candidate
// holding all keys of every word, each checked against its text.
async function fullResults(context, query, files) {
  const core = context.SearchCore;
  const shards = index.config.shards;
  // The site's root as search_page.js passes it: report pages (a split site's text) are read from there.
  const root = pathToFileURL(path.resolve(site) + path.sep).href;
  core.setup(new URL(shards.folder, root).href, shards, root);
  const words = core.parseQuery(query);
  await core.load(["pages"]);   // as search_page.js does on its first query
  const keys = await core.keysForWords(words);
  const candidates = core.rankCandidates(keys, true).sort((a, b) => a.doc - b.doc);
  const checked = await core.verify(candidates, words, true, Infinity, Infinity);
  const found = checked.filter(Boolean);
  return {query, full: true, candidates: candidates.length, exact: core.indexIsExact(words),
    everySection: keys.every(core.isOpen),
    sections: found.map(r => ({location: r.location, occurrences: r.occurrences})), files};
}

for (const query of queries) {
  const answer = await runQuery(query);
  if (answer.full) {
    const {files, ...rest} = answer;
    const sum = key => files.reduce((total, f) => total + f[key], 0);
    console.log(JSON.stringify({...rest, files: files.length, bytes: sum("bytes"), gzip: sum("gzip")}));
    continue;
  }
  const {replies, files} = answer;
  const [ready, result] = replies;
  if (ready.type !== 1 || result.type !== 3) throw new Error(`unexpected replies ${JSON.stringify(replies)}`);
  const items = result.data.items.map(group => group.map(doc => ({
    location: doc.location, title: doc.title, text: doc.text, score: doc.score, terms: doc.terms})));
  const sum = key => files.reduce((total, f) => total + f[key], 0);
  console.log(JSON.stringify({query, items, files, bytes: sum("bytes"), gzip: sum("gzip")}));
}
