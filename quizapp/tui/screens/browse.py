"""Browse: a searchable table of every card with a detail pane; suspend / unsuspend.

The cards, their titles and details come from `quizapp.session.browse.Browser`."""

from __future__ import annotations

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import DataTable, Footer, Header, Input, Static

from quizapp.deck.model import Scenario, Term, Trap
from quizapp.session.browse import Browser, CardRecord
from quizapp.tui.screens.base import BaseScreen

WIDE = 140  # from this width the detail pane sits beside the table


class BrowseScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="browse-back"),
        Binding("slash", "search", "Search", id="browse-search"),
        Binding("s", "suspend", "Suspend/unsuspend", id="browse-suspend"),
    ]

    browser: Browser

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ search term, prompt, category or id", id="browse-search")
        with Container(id="browse-body"):
            yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-detail"):
                yield Static(id="browse-info")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        table = self.query_one(DataTable)
        table.add_column("Card", key="card", width=34)
        for label in ("Category", "Kind", "Due", "EF", "Lapses", "Leech"):
            table.add_column(label, key=label.lower())
        self.load()
        table.focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    def load(self) -> None:
        self.browser = Browser(self.qapp.ctx, self.qapp.language)
        self.browser.load()
        self.fill(self.query_one("#browse-search", Input).value)

    def fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for r in self.browser.matches(query):
            table.add_row(*self._cells(r, self.browser.titles[r.id]), key=r.id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.show_detail()

    def _cells(self, r: CardRecord, title: str) -> list[RichText]:
        due = "new" if r.due is None else r.due.isoformat()
        if r.suspended:
            due = "suspended"
        return [RichText(title, overflow="ellipsis", no_wrap=True), RichText(r.category),
                RichText(r.kind.value), RichText(due), RichText(f"{r.state.easiness:.2f}"),
                RichText(str(r.lapses)), RichText("leech" if r.leech else "", style="bold red")]

    def current(self) -> CardRecord | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.browser.records.get(str(key))

    def show_detail(self) -> None:
        info = self.query_one("#browse-info", Static)
        r = self.current()
        if r is None:
            info.update("No card matches.")
            return
        detail = self.browser.detail(r.id)
        item = detail.item
        lines: list[str | tuple[str, str]] = [(detail.title, "bold"), f"\nid {r.id}\n"]
        if isinstance(item, Term):
            lines += [item.def_en, "\n", item.def_zh, "\n", ("answers: ", "$text-muted"),
                      " · ".join(item.answers), "\n"]
        elif isinstance(item, Trap | Scenario):
            lines += [("options: ", "$text-muted"), " · ".join(item.options), "\n",
                      ("answer: ", "$text-muted"), item.answer, "\n"]
        state = r.state
        lines.append((
            f"reps {state.repetitions} · interval {state.interval} d · EF {state.easiness:.2f} · "
            f"reviews {r.reviews} · lapses {r.lapses}"
            + (" · SUSPENDED" if r.suspended else "") + (" · LEECH" if r.leech else ""),
            "$text-muted"))
        if detail.recent:
            lines.append(("\nlast answers: ", "$text-muted"))
            lines.append("  ".join(f"{e.study_day.isoformat()} q{e.grade}" for e in detail.recent))
        info.update(Content.assemble(*lines))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#browse-search", Input)
        if search.has_focus:
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    def action_suspend(self) -> None:
        r = self.current()
        if r is None:
            return
        updated = self.browser.toggle_suspended(r.id)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.update_cell(r.id, "due", self._cells(updated, self.browser.titles[r.id])[3])
        table.move_cursor(row=row)
        self.notify(f"{'Suspended' if not r.suspended else 'Unsuspended'}: {r.id}", timeout=2)
        self.show_detail()
