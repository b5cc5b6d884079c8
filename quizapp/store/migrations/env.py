"""Alembic environment for quizapp's database.

quizapp runs migrations itself (quizapp.store.migrate, at Store.open) and hands over its open
connection, already inside the upgrade transaction. For development, `alembic` also works:
`alembic -c quizapp/store/migrations/alembic.ini -x db=PATH upgrade head` (or `revision -m ...`).
SQLite cannot ALTER most things, so every operation runs in batch mode (copy, swap, rename).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from quizapp.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("pass the database with -x db=PATH")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
