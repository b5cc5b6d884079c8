"""Anki's engine in a fresh process (run as a script): `first-card PATH` or `due PATH`."""

import sys


def main() -> None:
    command, path = sys.argv[1], sys.argv[2]
    from anki.collection import Collection

    col = Collection(path)
    try:
        if command == "first-card":
            card = col.sched.getCard()
            html = card.question() if card is not None else ""
            print(f"ANKI-FIRST-CARD {len(html)}", flush=True)
            sys.stdin.read()  # stay up until the harness stops us (as an open app would)
        else:
            tree = col.sched.deck_due_tree()
            print(f"due {tree.review_count} new {tree.new_count}")
    finally:
        col.close()


if __name__ == "__main__":
    main()
