"""Browse: a searchable table of every card with a detail pane; suspend / unsuspend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from quizapp.deck.model import Scenario, Term, Trap
from quizapp.session.overview import card_title
from quizapp.store.store import CardRecord

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

WIDE = 140  # from this width the detail pane sits beside the table


class BrowseScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="browse-back"),
        Binding("slash", "search", "Search", id="browse-search"),
        Binding("s", "suspend", "Suspend/unsuspend", id="browse-suspend"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, CardRecord] = {}
        self.titles: dict[str, str] = {}

    @property
    def qapp(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

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
        ctx = self.qapp.ctx
        self.records = {r.id: r for r in ctx.store.all_cards()}
        self.titles = {cid: card_title(ctx.deck, r, self.qapp.language)
                       for cid, r in self.records.items()}
        self.fill(self.query_one("#browse-search", Input).value)

    def fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        needle = query.casefold().strip()
        for cid, r in self.records.items():
            title = self.titles[cid]
            if needle and needle not in f"{title} {r.category} {cid}".casefold():
                continue
            table.add_row(*self._cells(r, title), key=cid)
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
        return self.records.get(str(key))

    def show_detail(self) -> None:
        info = self.query_one("#browse-info", Static)
        r = self.current()
        if r is None:
            info.update("No card matches.")
            return
        ctx = self.qapp.ctx
        item = ctx.deck.item(r.item_id)
        lines: list[str | tuple[str, str]] = [(self.titles[r.id], "bold"), f"\nid {r.id}\n"]
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
        log = ctx.store.review_log(r.id)[-5:]
        if log:
            lines.append(("\nlast answers: ", "$text-muted"))
            lines.append("  ".join(f"{e.study_day.isoformat()} q{e.grade}" for e in log))
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
        self.qapp.ctx.store.set_suspended(r.id, not r.suspended)
        self.records[r.id] = self.qapp.ctx.store.card(r.id)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.update_cell(r.id, "due", self._cells(self.records[r.id], self.titles[r.id])[3])
        table.move_cursor(row=row)
        self.notify(f"{'Suspended' if not r.suspended else 'Unsuspended'}: {r.id}", timeout=2)
        self.show_detail()
