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
from quizapp.tui.widgets.render import KIND_SHORT, category_name
from quizapp.tui.widgets.wrapped import wrapped

WIDE = 140  # from this width the detail pane sits beside the table
# Columns by screen width, narrowest first: what is dropped first is what matters least.
COLUMN_SETS = ((0, ("card", "due", "ef")),
               (78, ("card", "kind", "due", "ef", "lapses")),
               (110, ("card", "category", "kind", "due", "ef", "lapses", "leech")))
COLUMN_LABELS = {"card": "Card", "category": "Category", "kind": "Kind", "due": "Due", "ef": "EF",
                 "lapses": "Lapses", "leech": "Leech"}


class BrowseScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="browse-back"),
        Binding("slash", "search", "Search", id="browse-search"),
        Binding("s", "suspend", "Suspend", id="browse-suspend"),
    ]

    browser: Browser
    columns: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="browse-search")
        with Container(id="browse-body"):
            yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-detail"):
                yield Static(id="browse-info")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(DataTable).focus()

    def relabel(self) -> None:
        self.sub_title = self.t("Browse")
        self.query_one("#browse-search", Input).placeholder = self.t(
            "/ search term, prompt, category or id")
        self.columns = ()
        self.set_columns(self.size.width)
        self.load()

    def set_columns(self, width: int) -> None:
        """The columns that fit `width` (the card title takes what is left); rebuilt only when
        the set changes."""
        wanted = next(cols for least, cols in reversed(COLUMN_SETS) if width >= least)
        if width >= WIDE:
            width = width * 3 // 5
        if wanted == self.columns:
            return
        self.columns = wanted
        table = self.query_one(DataTable)
        table.clear(columns=True)
        others = {"category": 14, "kind": 14, "due": 11, "ef": 5, "lapses": 7, "leech": 6}
        used = sum(others[c] + 2 for c in wanted if c != "card")
        table.add_column(self.t("Card"), key="card", width=max(12, width - used - 8))
        for key in wanted[1:]:
            table.add_column(self.t(COLUMN_LABELS[key]), key=key, width=others[key])

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        before = self.columns
        self.set_columns(event.size.width)
        if before and self.columns != before:
            self.fill(self.query_one("#browse-search", Input).value)

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
        t = self.t
        due = t("new") if r.due is None else r.due.isoformat()
        if r.suspended:
            due = t("suspended")
        category = category_name(self.qapp.ctx.deck.category(r.category), self.qapp.language, short=True)
        cells = {"card": RichText(title, overflow="ellipsis", no_wrap=True),
                 "category": RichText(category, overflow="ellipsis", no_wrap=True),
                 "kind": RichText(t(KIND_SHORT.get(r.kind.value, r.kind.value))), "due": RichText(due),
                 "ef": RichText(f"{r.state.easiness:.2f}"), "lapses": RichText(str(r.lapses)),
                 "leech": RichText(t("leech") if r.leech else "", style="bold red")}
        return [cells[c] for c in self.columns]

    def current(self) -> CardRecord | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.browser.records.get(str(key))

    def show_detail(self) -> None:
        info = self.query_one("#browse-info", Static)
        r = self.current()
        t = self.t
        if r is None:
            info.update(t("No card matches."))
            return
        detail = self.browser.detail(r.id)
        item = detail.item
        lines: list[str | tuple[str, str]] = [(detail.title, "bold"), f"\nid {r.id}\n"]
        lang = self.qapp.language
        if isinstance(item, Term):
            definitions = [d for d, shown in ((item.def_en, lang != "zh"), (item.def_zh, lang != "en"))
                           if shown and d]
            lines += ["\n".join(definitions), "\n", (t("answers:") + " ", "$text-muted"),
                      " · ".join(item.answers), "\n"]
        elif isinstance(item, Trap | Scenario):
            lines += [(t("options:") + " ", "$text-muted"), " · ".join(item.options), "\n",
                      (t("answer:") + " ", "$text-muted"), item.answer, "\n"]
        state = r.state
        lines.append((
            t("reps {reps} · interval {days} d · EF {ef} · reviews {reviews} · lapses {lapses}",
              reps=state.repetitions, days=state.interval, ef=f"{state.easiness:.2f}",
              reviews=r.reviews, lapses=r.lapses)
            + (" · " + t("SUSPENDED") if r.suspended else "") + (" · " + t("LEECH") if r.leech else ""),
            "$text-muted"))
        if detail.recent:
            lines.append(("\n" + t("last answers:") + " ", "$text-muted"))
            lines.append("  ".join(f"{e.study_day.isoformat()} q{e.grade}" for e in detail.recent))
        info.update(wrapped(Content.assemble(*lines)))

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
        table.update_cell(r.id, "due", self._cells(updated, self.browser.titles[r.id])[
            self.columns.index("due")])
        table.move_cursor(row=row)
        message = "Suspended: {card}" if not r.suspended else "Unsuspended: {card}"
        self.notify(self.t(message, card=r.id), timeout=2)
        self.show_detail()
