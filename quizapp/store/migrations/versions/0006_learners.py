"""Several learners in one store: a `learner` column leads the key of every table.

cards (learner, id), reviews (learner, card_id → cards), settings (learner, key) and the two
summaries (which had `learner` = '' since revision 0004). Every row of the file is given to one
learner: whoever opens the file with this revision (`--user`, `QUIZAPP_USER`, else the login
name; `quizapp.store.engine.Database.open`). SQLite cannot change a primary key in place, so
cards, reviews and settings are rebuilt: the old table is renamed aside, the new one created from
the frozen statements below, every row copied with every id kept, and the old one dropped. The
summary triggers are dropped first and created again at the end for the new keys.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import context, op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_OLD_TRIGGERS = ("trg_summary_review_insert", "trg_summary_review_delete", "trg_summary_review_update",
                 "trg_summary_card_update")
_OLD_INDEXES = ("ix_cards_due", "ix_cards_new", "ix_cards_counts", "ix_reviews_card", "ix_reviews_day",
                "ix_reviews_stats")


def upgrade() -> None:
    from quizapp.store.summary import create_triggers

    learner = context.config.attributes.get("learner") or "learner"
    bind = op.get_bind()
    for name in _OLD_TRIGGERS:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for name in _OLD_INDEXES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    for table in _TABLES:
        bind.exec_driver_sql(f"ALTER TABLE {table} RENAME TO {table}_v5")
    for table, (statements, columns) in _TABLES.items():
        for statement in statements:
            bind.exec_driver_sql(statement)
        names = ", ".join(f'"{c}"' for c in columns)
        bind.exec_driver_sql(f"INSERT INTO {table} (learner, {names}) SELECT ?, {names} FROM {table}_v5",
                             (learner,))
    for table in ("reviews", "settings", "cards"):
        bind.exec_driver_sql(f"DROP TABLE {table}_v5")
    for table in ("review_summary", "prediction_bins"):
        bind.exec_driver_sql(f"UPDATE {table} SET learner = ? WHERE learner = ''", (learner,))
    create_triggers(bind)


def downgrade() -> None:
    raise NotImplementedError("revision 0006 has no way down: several learners cannot share a "
                              "store of an earlier schema (restore the backup made before it)")


# Frozen copies of the tables as this revision creates them (compiled from quizapp.store.schema
# on the day it was written; a test checks an upgraded file against a new one).
_TABLES = {'cards': (['CREATE TABLE cards (\n'
            '\tlearner VARCHAR NOT NULL, \n'
            '\tid VARCHAR NOT NULL, \n'
            '\tkind VARCHAR NOT NULL, \n'
            '\tcategory VARCHAR NOT NULL, \n'
            '\titem_id VARCHAR NOT NULL, \n'
            '\tposition INTEGER NOT NULL, \n'
            '\tcontent_hash VARCHAR NOT NULL, \n'
            '\tcontent_changed_at VARCHAR NOT NULL, \n'
            '\tadded_at VARCHAR NOT NULL, \n'
            '\tretired BOOLEAN NOT NULL, \n'
            '\tsuspended BOOLEAN NOT NULL, \n'
            '\trepetitions INTEGER NOT NULL, \n'
            '\tef INTEGER NOT NULL, \n'
            '\tinterval INTEGER NOT NULL, \n'
            '\tdue INTEGER, \n'
            '\tlapses INTEGER NOT NULL, \n'
            '\treviews INTEGER NOT NULL, \n'
            '\tlast_review_day INTEGER, \n'
            '\tfsrs_stability FLOAT, \n'
            '\tfsrs_difficulty FLOAT, \n'
            '\tfsrs_due INTEGER, \n'
            '\tPRIMARY KEY (learner, id), \n'
            '\tCONSTRAINT ck_cards_counts CHECK (repetitions >= 0 AND lapses >= 0 AND reviews >= lapses), \n'
            '\tCONSTRAINT ck_cards_ef CHECK (ef >= 130), \n'
            '\tCONSTRAINT ck_cards_interval CHECK (interval >= 0), \n'
            '\tCONSTRAINT ck_cards_due CHECK (due IS NULL OR last_review_day IS NULL OR due > '
            'last_review_day), \n'
            '\tCONSTRAINT ck_cards_fsrs CHECK (fsrs_stability IS NULL OR (fsrs_stability > 0 AND '
            'fsrs_difficulty BETWEEN 1 AND 10)), \n'
            '\tCONSTRAINT ck_cards_fsrs_due CHECK (fsrs_due IS NULL OR last_review_day IS NULL OR fsrs_due > '
            'last_review_day)\n'
            ')',
            'CREATE INDEX ix_cards_counts ON cards (learner, retired, category, kind, suspended, reviews, '
            'interval, due, lapses, ef, repetitions)',
            'CREATE INDEX ix_cards_due ON cards (learner, retired, suspended, due)',
            'CREATE INDEX ix_cards_new ON cards (learner, retired, suspended, reviews, position)'],
           ('id',
            'kind',
            'category',
            'item_id',
            'position',
            'content_hash',
            'content_changed_at',
            'added_at',
            'retired',
            'suspended',
            'repetitions',
            'ef',
            'interval',
            'due',
            'lapses',
            'reviews',
            'last_review_day',
            'fsrs_stability',
            'fsrs_difficulty',
            'fsrs_due')),
 'reviews': (['CREATE TABLE reviews (\n'
              '\tid INTEGER NOT NULL, \n'
              '\tlearner VARCHAR NOT NULL, \n'
              '\tcard_id VARCHAR NOT NULL, \n'
              '\tanswered_at VARCHAR NOT NULL, \n'
              '\tstudy_day INTEGER NOT NULL, \n'
              '\tgrade INTEGER NOT NULL, \n'
              '\tanswer TEXT NOT NULL, \n'
              '\tcorrect BOOLEAN NOT NULL, \n'
              '\tresponse_ms INTEGER NOT NULL, \n'
              '\tkind VARCHAR NOT NULL, \n'
              '\twas_new BOOLEAN NOT NULL, \n'
              '\treps_before INTEGER NOT NULL, \n'
              '\tef_before INTEGER NOT NULL, \n'
              '\tinterval_before INTEGER NOT NULL, \n'
              '\tdue_before INTEGER, \n'
              '\tlast_day_before INTEGER, \n'
              '\treps_after INTEGER NOT NULL, \n'
              '\tef_after INTEGER NOT NULL, \n'
              '\tinterval_after INTEGER NOT NULL, \n'
              '\tdue_after INTEGER, \n'
              '\tfsrs_recall FLOAT, \n'
              '\toverridden BOOLEAN DEFAULT 0 NOT NULL, \n'
              '\tPRIMARY KEY (id), \n'
              '\tCONSTRAINT fk_reviews_card FOREIGN KEY(learner, card_id) REFERENCES cards (learner, id), \n'
              '\tCONSTRAINT ck_reviews_grade CHECK (grade BETWEEN 0 AND 5), \n'
              "\tCONSTRAINT ck_reviews_kind CHECK (kind IN ('review', 'redrill', 'practice')), \n"
              '\tCONSTRAINT ck_reviews_interval CHECK (interval_before >= 0 AND interval_after >= 0), \n'
              '\tCONSTRAINT ck_reviews_fsrs_recall CHECK (fsrs_recall IS NULL OR fsrs_recall BETWEEN 0 AND '
              '1)\n'
              ')',
              'CREATE INDEX ix_reviews_card ON reviews (learner, card_id, id)',
              'CREATE INDEX ix_reviews_day ON reviews (learner, study_day, kind)',
              'CREATE INDEX ix_reviews_stats ON reviews (learner, kind, card_id, study_day, correct, grade, '
              'reps_before)'],
             ('id',
              'card_id',
              'answered_at',
              'study_day',
              'grade',
              'answer',
              'correct',
              'response_ms',
              'kind',
              'was_new',
              'reps_before',
              'ef_before',
              'interval_before',
              'due_before',
              'last_day_before',
              'reps_after',
              'ef_after',
              'interval_after',
              'due_after',
              'fsrs_recall',
              'overridden')),
 'settings': (['CREATE TABLE settings (\n'
               '\tlearner VARCHAR NOT NULL, \n'
               '\t"key" VARCHAR NOT NULL, \n'
               '\tvalue TEXT NOT NULL, \n'
               '\tPRIMARY KEY (learner, "key")\n'
               ')'],
              ('key', 'value'))}
