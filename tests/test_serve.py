"""`quizapp serve`: a real server process, its page, and a real websocket connection whose quiz
process runs as the learner the page named."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.serve import child_command, for_learner
from quizapp.store.store import Store
from tests.conftest import MINI_DECK, child_env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def server(tmp_path: Path):
    port = _free_port()
    db = tmp_path / "served.db"
    proc = subprocess.Popen([sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(MINI_DECK),
                             "serve", "--port", str(port)], env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", db, proc
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def test_the_page_is_served_and_names_the_learners_websocket(server) -> None:
    url, _, _ = server
    status, page = _get(url + "/")
    assert status == 200 and "textual" in page.lower()
    assert f"{url.replace('http', 'ws')}/ws\"" in page
    status, page = _get(url + "/?user=mei.li")
    assert status == 200 and "/ws/u/mei.li" in page
    status, page = _get(url + "/?user=a%20b")
    assert status == 400 and "letters, digits" in page


def test_a_connection_runs_its_own_quiz_as_its_learner_and_ctrl_c_stops_cleanly(server) -> None:
    import aiohttp

    url, db, proc = server

    async def connect() -> bytes:
        async with aiohttp.ClientSession() as session, session.ws_connect(
                url.replace("http", "ws") + "/ws/u/alice?width=80&height=24") as ws:
            received = b""
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(received) < 2000:
                message = await ws.receive(timeout=30)
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            return received

    received = asyncio.run(connect())
    assert len(received) >= 2000, received[:500]  # the app drew its screen over the websocket
    with Store.open(db) as store:  # the quiz process opened the store as alice, not as the login name
        assert "alice" in store.learners()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err + out
    assert "no login of its own" in err


def test_child_command_passes_the_servers_options() -> None:
    command = child_command({"db": "/tmp/a b.db", "deck": ["d1", "d2"], "lang": "zh", "seed": 3},
                            python="/usr/bin/python3")
    assert command == ("/usr/bin/python3 -m quizapp --db '/tmp/a b.db' --lang zh --seed 3 "
                       "--deck d1 --deck d2 quiz")
    assert for_learner(command, "mei") == f"QUIZAPP_USER=mei {command}"
    assert for_learner(command, None) == command


def test_without_textual_serve_one_line_names_the_extra(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails
    assert main(["--db", str(tmp_path / "q.db"), "serve"]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "pip install 'quizapp[serve]'" in err


@pytest.mark.parametrize("port", ["0", "99999", "http"])
def test_a_bad_port_is_one_line(port: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", port])
    assert exit_.value.code == 2
    assert "port number from 1 to 65535" in capsys.readouterr().err


def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.db"), "serve",
                                 "--port", str(port)], env=child_env(), capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_sigterm_stops_the_server_cleanly(server) -> None:
    url, _, proc = server
    assert _get(url + "/")[0] == 200
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err + out


def test_a_broken_tab_is_one_log_line_and_a_stop_closes_the_open_tabs(server) -> None:
    import aiohttp

    url, _, proc = server
    tabs = url.replace("http", "ws") + "/ws/u/"
    assert _get(url + "/?user=..")[0] == 400  # the browser would turn /ws/u/.. into /ws

    async def until_closed(ws) -> aiohttp.WSMsgType:
        while (message := await ws.receive(timeout=30)).type == aiohttp.WSMsgType.BINARY:
            pass
        return message.type

    async def browse() -> tuple[aiohttp.WSMsgType, aiohttp.WSMsgType, int | None]:
        async with aiohttp.ClientSession() as session:
            broken = await session.ws_connect(tabs + "mallory?width=80&height=24")
            await broken.receive(timeout=30)  # its quiz has started
            await broken.send_str("not json")  # anyone who reaches the port can send this
            broken_end = await until_closed(broken)
            held = await session.ws_connect(tabs + "alice?width=80&height=24")
            await held.receive(timeout=30)
            proc.send_signal(signal.SIGTERM)  # with that tab still open
            return broken_end, await until_closed(held), held.close_code

    broken_end, held_end, code = asyncio.run(browse())
    out, err = proc.communicate(timeout=30)
    assert broken_end == aiohttp.WSMsgType.CLOSE  # the server ended the broken tab, and went on
    assert held_end == aiohttp.WSMsgType.CLOSE and code == aiohttp.WSCloseCode.GOING_AWAY, (held_end, code)
    assert proc.returncode == 0 and "Traceback" not in out + err, err
    assert "quizapp serve: a tab failed: JSONDecodeError: " in err


def test_a_bad_store_is_one_line_before_listening(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = subprocess.run([sys.executable, "-m", "quizapp", "--db", str(folder), "serve", "--port",
                             str(_free_port())], env=child_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "is a folder" in result.stderr
