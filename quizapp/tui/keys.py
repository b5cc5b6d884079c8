"""Keys a learner can remap: every binding of quizapp has an id, and `keys.toml` in the user
config folder (`quizapp.config.keys_path`) gives some of them other keys, by id:

    quiz-leave = "escape,q"      # one key or several, comma-separated, Textual's key names
    help = "f1"

Textual's keymap does the remapping (`App.set_keymap`). A bad entry — an id quizapp does not
have, a value that is not a key — is reported in one line naming it and ignored: the defaults
stay. A file that is not valid TOML is one line too, and every key keeps its default.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

__all__ = ["load_keymap"]

_KEY = re.compile(r"^(?:(?:ctrl|shift|alt|super)\+)*(?:[a-z0-9]|f[1-9][0-9]?|[a-z][a-z_]+|[^\s,])$")


def load_keymap(path: Path, known: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(the keymap to use, one line per problem); no file is no keymap and no problem.
    `known`: every binding id → its default keys (`quizapp.tui.app.binding_ids`)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"quizapp: {path}: cannot read it ({exc}); every key keeps its default"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in data.items():
        if binding_id not in known:
            problems.append(f"quizapp: {path}: '{binding_id}' is not a key binding id "
                            f"(see the README, Keys); ignored")
            continue
        keys = [k.strip() for k in value.split(",")] if isinstance(value, str) else []
        if not keys or not all(_KEY.match(k) for k in keys):
            problems.append(f"quizapp: {path}: {binding_id} = {value!r} is not a key such as "
                            f"\"q\" or \"ctrl+q\"; '{binding_id}' keeps {known[binding_id]!r}")
            continue
        keymap[binding_id] = ",".join(keys)
    return keymap, problems
