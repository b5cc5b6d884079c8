"""The floor for cold start: a bare Textual app showing one line (run as a script in a pty)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello from a bare Textual app")
        yield Footer()


if __name__ == "__main__":
    Hello().run()
