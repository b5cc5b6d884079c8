"""What a learner sees: the text on the screen, and the widgets whose content is cut off.

"Cut" means content that cannot be reached: a widget whose content needs more lines or columns
than it has and cannot scroll to them, a widget outside the screen with no scrolling ancestor,
a footer key past the footer's edge. Content that a scrollable container scrolls to is fine
(small screens degrade by scrolling, not clipping).
"""

from __future__ import annotations

from textual.app import App
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets._footer import FooterKey


def screen_lines(app: App) -> list[str]:
    """The screen as text, one string per row (modal screens over their background)."""
    update = app.screen._compositor.render_full_update()
    return ["".join(segment.text for segment in strip) for strip in update.strips]


def _scrolls(widget: Widget) -> bool:
    node = widget.parent
    while isinstance(node, Widget):
        if isinstance(node, ScrollableContainer) or node.styles.overflow_y in ("auto", "scroll"):
            return True
        node = node.parent
    return False


def clipped(app: App) -> list[str]:
    """Every widget of the current screen whose content is cut, with why."""
    screen = app.screen
    problems: list[str] = []
    for widget in screen.query("*"):
        if not widget.display or not widget.visible or widget.region.area == 0:
            continue
        name = f"{type(widget).__name__}#{widget.id}"
        if isinstance(widget, Static) and not isinstance(widget, FooterKey):
            width = widget.content_region.width
            needed = widget.visual.get_height(widget.styles, width) if width else 0
            if needed > widget.content_region.height and widget.styles.height and not _scrolls(widget):
                problems.append(f"{name}: needs {needed} lines, has {widget.content_region.height}")
        wide = isinstance(widget, DataTable | OptionList | ScrollableContainer) and \
            widget.virtual_size.width > widget.scrollable_content_region.width
        if wide:
            problems.append(f"{name}: {widget.virtual_size.width} columns wide, "
                                f"shows {widget.scrollable_content_region.width}")
        if not _scrolls(widget) and not screen.region.contains_region(widget.region):
            problems.append(f"{name}: at {widget.region}, outside the screen {screen.region}")
    for footer in screen.query(Footer):
        for key in footer.query(FooterKey):
            if not footer.region.contains_region(key.region):
                problems.append(f"footer key {key.key!r} past the edge")
    return problems


def footer_actions(app: App) -> set[str]:
    """The actions of the footer keys fully visible now."""
    shown: set[str] = set()
    for footer in app.screen.query(Footer):
        for key in footer.query(FooterKey):
            if key.display and footer.region.contains_region(key.region):
                shown.add(key.action)
    return shown
