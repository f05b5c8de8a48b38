#!/usr/bin/env node
// Copy iframe-worker's shim (installed from npm by `npm ci`, version pinned in
// package-lock.json) to the site's assets, with its licence notice on top.
//
// Usage: node tools/offline-shim/vendor.mjs [DEST]
//   DEST defaults to docs/assets/javascripts/iframe-worker-shim.js.
//
// Why: Material's search runs in a Web Worker, and Chromium refuses
// `new Worker(...)` for file:// pages. The shim replaces Worker by a hidden
// iframe when location.protocol is "file:" (and does nothing over http).
// Material's offline plugin would load it from unpkg.com; mkdocs.yml lists
// this copy under `extra.polyfills`, so the plugin adds no CDN script and the
// offline bundle makes no network request.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.join(here, "node_modules", "iframe-worker");
const dest = process.argv[2] ?? "docs/assets/javascripts/iframe-worker-shim.js";

try {
  const pkg = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8"));
  const shim = await readFile(path.join(pkgDir, "shim", "index.js"), "utf8");
  const author = typeof pkg.author === "object" ? pkg.author.name : pkg.author;
  const header =
    `/*! ${pkg.name} ${pkg.version} | ${pkg.license} License | (c) ${author} | ${pkg.homepage}\n` +
    ` *  Vendored by tools/offline-shim/vendor.mjs (make offline-shim); do not edit. */\n`;
  await mkdir(path.dirname(dest), { recursive: true });
  await writeFile(dest, header + shim.trimEnd() + "\n");
  console.log(`${dest}: ${pkg.name} ${pkg.version}`);
} catch (err) {
  if (err.code === "ENOENT") {
    console.error(`${err.path}: not installed; run \`npm ci --prefix tools/offline-shim\` first`);
    process.exit(2);
  }
  throw err;
}
