#!/usr/bin/env bash
# Sourced by .ci/run: a throw-away PostgreSQL server for the tests that need one.
# Installs the server with the system's package manager if it is missing, initdb's a cluster in a
# temporary folder (as the unprivileged `postgres` user when run as root: initdb refuses root),
# starts it on a free local port with durability off (test data only), and exports
#   QUIZAPP_TEST_PG_URL  the server, as quizapp's --db takes it
#   QUIZAPP_REQUIRE_PG=1 tests that need the server fail instead of skipping without it
# An EXIT trap stops the server and removes the folder.

pg_bin=""
find_pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin $(command -v initdb 2>/dev/null | xargs -r readlink -f | xargs -r dirname); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/createdb" ]; then pg_bin="$dir"; return 0; fi
    done
    return 1
}

if ! find_pg_bin; then
    echo "+ installing PostgreSQL (apt-get install postgresql)" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q postgresql >/dev/null \
        || { DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get update -q >/dev/null \
             && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q postgresql >/dev/null; }
    find_pg_bin || { echo "error: PostgreSQL's initdb was not found after installing it" >&2; exit 1; }
fi

pg_dir=$(mktemp -d /tmp/quizapp-ci-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
fi

stop_ci_postgres() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}
trap stop_ci_postgres EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; echo "error: initdb failed" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; echo "error: the PostgreSQL test server did not start" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres quizapp_test \
    || { echo "error: could not create the test database" >&2; exit 1; }

export QUIZAPP_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/quizapp_test"
export QUIZAPP_REQUIRE_PG=1
echo "+ PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests at 127.0.0.1:$pg_port" >&2
