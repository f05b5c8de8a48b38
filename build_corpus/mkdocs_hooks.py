"""MkDocs hooks (mkdocs.yml `hooks:`) that make Material's Chinese search find glossary terms.

Measured on the bundled corpus with the site's real search in Chromium (tests/test_browser.py):
stock Material 9.8.1 gives precision@5 0.30 over the 100 glossary terms, and 6 terms find nothing.
Two causes, two fixes:

1. Indexing: Material segments Chinese with jieba, which splits unknown slogans (三改一拆 →
   三/改/一/拆). `on_config` adds every glossary term (docs/downloads/glossary.json, written by
   `build-corpus build`) to jieba's dictionary, so each is one word in the index.
2. Querying: the search worker segments a Chinese query greedily against the index, but its loop
   never tries a piece ending at the query's last character, so 三改一拆 can only match as 三改*,
   一… (OR-ed: any page with 一 matches); and a word mixing Han and digits (411工程) is looked up
   as one index word, which the index never holds. `on_post_build` patches both in the built copy
   of the worker (WORKER_PATCHES), each checked against the pinned Material version so an upgrade
   that moves the code fails the build instead of silently losing the fix.

With both: precision@5 0.91, own term page in the top 5 for 95 of 100 terms (with search.boost).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import jieba

log = logging.getLogger("mkdocs.hooks.build_corpus")

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
TERM_FREQUENCY = 50000

# (what Material 9.8.1's minified worker says, what it should say), applied in order.
WORKER_PATCHES = [
    # The query segmentation loop, reaching the query's last character.
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"),
    # A query word mixing Han and Latin/digits (411工程, R&D占比, 1+3+1+X产业): the index holds its
    # runs as separate words (the search plugin segments Han runs only), so require every run
    # (+run*) instead of looking for one word that cannot exist. Other queries are unchanged.
    (r'e=e.replace(new RegExp("\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "))',
     r'e=e.split(/\s+/).map(p=>{let h=new RegExp("\\p{sc=Han}","u");'
     r'if(!h.test(p)||!/[0-9A-Za-z]/.test(p))'
     r'return p.replace(new RegExp("\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "));'
     r'return(p.match(new RegExp("\\p{sc=Han}+|[0-9A-Za-z+]+","gu"))||[])'
     r'.flatMap(r=>h.test(r)?[...fe(r,this.index.invertedIndex)]:[r]).filter(r=>r).map(r=>"+"+r+"*").join(" ")})'
     r'.join(" ")'),
]


class SearchHookError(Exception):
    pass


def on_config(config, **_):
    glossary = Path(config["docs_dir"]) / "downloads" / "glossary.json"
    if not glossary.exists():
        log.warning("no %s: run `build-corpus build` first; glossary terms will not be whole search words", glossary)
        return config
    terms = json.loads(glossary.read_text(encoding="utf-8"))
    for term in terms:
        for word in {term["term"], *(f.strip("“”\"") for f in term["forms"])}:
            jieba.add_word(word, freq=TERM_FREQUENCY)
    log.info("search: %d glossary terms added to jieba's dictionary", len(terms))
    return config


def on_post_build(config, **_):
    workers = sorted(Path(config["site_dir"]).glob(WORKER_GLOB))
    if not workers:
        raise SearchHookError(f"no search worker matching {WORKER_GLOB} in {config['site_dir']}")
    for worker in workers:
        code = worker.read_text(encoding="utf-8")
        for before, after in WORKER_PATCHES:
            if after in code:
                continue
            if code.count(before) != 1:
                raise SearchHookError(
                    f"{worker}: Material's search worker changed (mkdocs-material upgraded?); "
                    "update WORKER_PATCHES in build_corpus/mkdocs_hooks.py")
            code = code.replace(before, after)
        worker.write_text(code, encoding="utf-8")
