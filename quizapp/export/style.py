"""The CSS every quizapp note type carries (light and night mode, phone and desktop).

Anki puts `nightMode` / `night_mode` on the card's body in night mode; the `.card` element is the
body itself on desktop and a wrapper on some mobile clients, so both forms are matched.
"""

CSS = """\
.card {
  --q-fg: #1f2328; --q-muted: #5f6670; --q-accent: #1f6feb; --q-rule: #d0d7de;
  --q-chip: #eef3fb; --q-chip-fg: #33507a; --q-good: #1a7f37; --q-box: #f6f8fa;
  --q-letter-fg: #ffffff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  font-size: 20px; line-height: 1.55; text-align: left;
  color: var(--q-fg); background-color: transparent;
  overflow-wrap: anywhere;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --q-fg: #e6e6e6; --q-muted: #a8b0ba; --q-accent: #6ca4ff; --q-rule: #444c56;
  --q-chip: #2b3340; --q-chip-fg: #c5d5ee; --q-good: #56d364; --q-box: #262b33;
  --q-letter-fg: #0d1117;
}
.qz { max-width: 38em; margin: 0 auto; padding: 0.8em 1em; }
.qz-meta { margin-bottom: 0.6em; }
.qz-chip { display: inline-block; font-size: 0.68em; padding: 0.1em 0.6em; border-radius: 1em;
  background: var(--q-chip); color: var(--q-chip-fg); }
.qz-ask { font-size: 0.8em; color: var(--q-muted); margin-bottom: 0.3em; }
.qz-main { font-size: 1.1em; }
.qz-main .zh, .qz-sub .zh, .qz-answer .zh, .qz-recap .zh { margin-top: 0.25em; }
.qz-term { font-size: 1.35em; font-weight: 600; color: var(--q-accent); }
.qz-sub { margin-top: 0.6em; }
.qz-muted, .qz-source { color: var(--q-muted); font-size: 0.8em; }
.qz-answer { font-weight: 600; color: var(--q-good); font-size: 1.15em; }
.qz-answer.qz-term { color: var(--q-accent); font-size: 1.35em; }
.qz-answer.qz-def { color: var(--q-fg); font-weight: 500; font-size: 1.05em; }
.qz-letter { display: inline-block; min-width: 1.5em; padding: 0 0.25em; margin-right: 0.3em;
  border-radius: 0.3em; text-align: center; font-size: 0.85em;
  background: var(--q-good); color: var(--q-letter-fg); }
.qz-opt-zh { color: var(--q-muted); font-weight: normal; }
.qz-lang-en .qz-options .qz-opt-zh { display: none; }
.qz-recap { margin: 0.8em 0 0; padding-left: 0.7em; border-left: 3px solid var(--q-rule);
  color: var(--q-muted); font-size: 0.85em; }
.qz-recap ol { margin: 0.3em 0 0; }
.qz-extra { margin-top: 1em; padding-top: 0.5em; border-top: 1px dashed var(--q-rule);
  font-size: 0.92em; }
.qz-extra .zh { margin-top: 0.3em; }
.qz-extra-title { font-size: 0.7em; letter-spacing: 0.06em; text-transform: uppercase;
  color: var(--q-muted); margin-bottom: 0.2em; }
.qz-personal { margin-top: 1em; padding: 0.5em 0.8em; border-radius: 0.4em;
  border: 1px solid var(--q-rule); }
.qz-hint { margin-top: 0.9em; font-size: 0.85em; }
.qz-hint a.hint { color: var(--q-accent); }
.qz-hint div.hint { letter-spacing: 0.12em; color: var(--q-muted); }
.qz-box { background: var(--q-box); border-radius: 0.4em; padding: 0.5em 0.8em; margin-top: 0.6em; }
.qz ol, .qz ul { margin: 0.4em 0; padding-left: 1.6em; }
.qz li { margin: 0.15em 0; }
hr#answer { border: 0; border-top: 1px solid var(--q-rule); margin: 0.4em 0 0.8em; }
@media (max-width: 480px) {
  .card { font-size: 17px; }
  .qz { padding: 0.5em 0.6em; }
  .qz-term, .qz-answer.qz-term { font-size: 1.2em; }
}
"""
