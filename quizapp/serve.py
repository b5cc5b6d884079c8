"""`quizapp serve`: the full-screen quiz in a web browser, through textual-serve.

textual-serve starts one app process per browser connection (per tab) and relays the terminal
over a websocket; each process is a plain `quizapp quiz` on the store this server was given, so
answers are saved exactly as in a terminal. The learner of a connection is the server's own
(`--user` / `QUIZAPP_USER` / the login name), or the one the page names: `/?user=NAME` opens the
quiz as NAME (its process gets QUIZAPP_USER=NAME), so a study group can share one server and one
PostgreSQL store.

It has no login of its own: whoever reaches the port can study as anyone. Run it on localhost, or
behind a reverse proxy that authenticates (and, to pin each person to their name, sets the user).
"""

from __future__ import annotations

import logging
import re
import shlex
import sys
from typing import Any

from quizapp.errors import QuizappError

SERVE_EXTRA = "pip install 'quizapp[serve]'"
LEARNER_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
WARNING = ("quizapp serve has no login of its own: anyone who can reach this address can study "
           "as any learner. Keep it on localhost, or put it behind a reverse proxy that authenticates.")


def child_command(options: dict[str, Any], python: str = sys.executable) -> str:
    """The shell command each connection runs: this Python's quizapp, the server's global options,
    and the quiz."""
    parts = [python, "-m", "quizapp"]
    for flag, value in (("--db", options.get("db")), ("--lang", options.get("lang")),
                        ("--seed", options.get("seed")), ("--user", options.get("user"))):
        if value is not None:
            parts += [flag, str(value)]
    for deck in options.get("deck") or ():
        parts += ["--deck", str(deck)]
    return shlex.join([*parts, "quiz"])


def for_learner(command: str, user: str | None) -> str:
    """`command` run as learner `user` (None: the server's own learner). The name was checked
    against LEARNER_NAME, and is quoted for the shell besides."""
    if user is None:
        return command
    return f"QUIZAPP_USER={shlex.quote(user)} {command}"


def serve(options: dict[str, Any], host: str, port: int, public_url: str | None) -> int:
    """Run the server until Ctrl-C (or SIGTERM)."""
    try:
        import aiohttp_jinja2
        from aiohttp import web
        from textual_serve.server import AppService, Server, log
    except ImportError:
        raise QuizappError(f"quizapp serve needs textual-serve; install it with {SERVE_EXTRA}") from None
    _check_store(options)
    if options.get("user") is not None:
        command = child_command({**options, "user": None})
        default_user: str | None = options["user"]
    else:
        command, default_user = child_command(options), None

    class LearnerServer(Server):
        """textual-serve's server, with a learner per connection (`/?user=NAME`), logging plain
        lines to stderr (no banner, no tracebacks)."""

        def initialize_logging(self) -> None:
            import logging

            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(_OneLine())
            logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

        async def on_startup(self, app: web.Application) -> None:
            """Started: serve() already said where, and the warning."""

        async def on_shutdown(self, app: web.Application) -> None:
            """Close every open tab, so each quiz process is told to quit now; otherwise the stop
            waits on them until aiohttp gives up (about 10 s with one tab open)."""
            from aiohttp import WSCloseCode

            for websocket in list(self.sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"quizapp serve stopped")

        async def _make_app(self) -> web.Application:
            self.sockets: set[web.WebSocketResponse] = set()
            app = await super()._make_app()
            app.router.add_get("/ws/u/{user}", self.handle_websocket)
            return app

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any]:
            user = _checked(request.query.get("user"))
            context = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
            if user is not None:
                context["app_websocket_url"] += f"/u/{user}"
                context["application"]["name"] = f"quizapp · {user}"
            return context

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's own handler, with the connection's learner in its command."""
            user = _checked(request.match_info.get("user")) or default_user
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _size(request.query.get("width"), 80)
            height = _size(request.query.get("height"), 24)
            service: Any = None
            self.sockets.add(websocket)
            try:
                await websocket.prepare(request)
                service = AppService(for_learner(command, user), write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,
                                     download_manager=self.download_manager, debug=self.debug)
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except Exception as error:  # e.g. a text frame that is not JSON: one line, the server goes on
                log.warning("a tab failed: %s: %s", type(error).__name__, error)
            finally:
                self.sockets.discard(websocket)
                if service is not None:
                    await service.stop()
                await websocket.close()  # the tab shows "Session ended"; a stop waits for no one
            return websocket

    server = LearnerServer(command, host=host, port=port, title="quizapp", public_url=public_url)
    print(f"quizapp: serving the quiz at {server.public_url} (one process per browser tab; "
          f"/?user=NAME studies as NAME)", file=sys.stderr)
    print(f"quizapp: warning: {WARNING}", file=sys.stderr)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the host is not this machine's …
        raise QuizappError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    except OverflowError:
        raise QuizappError(f"cannot listen on port {port}: a port is 1 to 65535") from None
    return 0


def _check_store(options: dict[str, Any]) -> None:
    """Open the store and the deck once before listening: a bad --db or deck is one line now, not
    an error in every tab, and a pending schema upgrade runs here once, not in several tabs at
    the same moment."""
    from quizapp import config
    from quizapp.session.context import AppContext

    ctx = AppContext.open(config.db_path(options.get("db")), config.deck_paths(options.get("deck")),
                          learner=config.learner(options.get("user")))
    ctx.close()


def _checked(user: str | None) -> str | None:
    """A learner name from the URL, or None if there is none; a bad one is refused (HTTP 400)."""
    if user is None or user == "":
        return None
    if not LEARNER_NAME.fullmatch(user) or not user.strip("."):  # `/ws/u/..` would become `/ws`
        from aiohttp import web

        raise web.HTTPBadRequest(text="user: 1-64 letters, digits, '.', '_' or '-'\n")
    return user


class _OneLine(logging.Formatter):
    """Every log record, aiohttp's and textual-serve's too, as one line: an exception is named with
    its message, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            message += f" ({type(error).__name__}: {error})"
        return "quizapp serve: " + " ".join(message.split())


def _size(value: str | None, default: int) -> int:
    try:
        return max(10, min(int(value or default), 1000))
    except ValueError:
        return default
