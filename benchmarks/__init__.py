"""Benchmarks: quizapp against Anki's own engine on the same synthetic collection (issue 8).

Run `python -m benchmarks` (full: 100 000 cards, 1 000 000 review-log rows; takes minutes) or
`python -m benchmarks --quick` (a small version, well under a minute). See `python -m benchmarks -h`.

Modules:
* `generate` — synthetic deck (TOML), quizapp database and the same cards/history in an Anki
  collection, built with bulk inserts;
* `procs` — real processes in a pseudo-terminal: cold start to the first card, `quizapp due`,
  a bare Textual app (the floor), Anki's backend start; peak RSS of each child;
* `inproc` — per-answer latency, queue build, statistics and export, each beside Anki's figure;
* `report` — the table and the JSON.
"""
