"""Statistics kept by the writes: `review_summary` and `prediction_bins`; an index for card counts.

Two new tables (`quizapp.store.schema`, revision 0004) that every write to the review log keeps
exact in its own transaction (`quizapp.store.summary`), so statistics read a few thousand rows
instead of the whole log. This revision creates them and fills them from the log as it stands;
`learner` is '' (the one learner of a file without learners) in every key. `ix_cards_counts`
covers the per-category GROUP BYs over cards. Nothing else changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_summary",
        sa.Column("learner", sa.String(), server_default="", nullable=False),
        sa.Column("study_day", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("card_kind", sa.String(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTS),
        sa.PrimaryKeyConstraint("learner", "study_day", "category", "card_kind", "retired"),
    )
    op.create_table(
        "prediction_bins",
        sa.Column("learner", sa.String(), server_default="", nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in ("lapse_bin", "elapsed_bin", "number_bin")),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("recalled", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in ("fsrs_p", "fsrs_loss", "sm2_p", "sm2_loss")),
        sa.PrimaryKeyConstraint("learner", "lapse_bin", "elapsed_bin", "number_bin"),
    )
    op.create_index("ix_cards_counts", "cards", ["retired", "category", "kind", "suspended", "reviews",
                                                  "interval", "due", "lapses", "ef", "repetitions"])
    bind = op.get_bind()
    for name, body in _TRIGGERS.items():
        bind.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    _fill(bind)  # from this revision's log (frozen: later revisions add a learner to every key)


def downgrade() -> None:
    op.drop_index("ix_cards_counts", table_name="cards")
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("prediction_bins")
    op.drop_table("review_summary")


_COUNTS = ("answers", "reviews", "correct", "lapses", "recall_reviews", "recalled")
_BIN_TOTALS = ("n", "recalled", "fsrs_p", "fsrs_loss", "sm2_p", "sm2_loss")


def _fill(bind: sa.Connection) -> None:
    """Both summaries from the log as this revision's tables hold it (one learner, '')."""
    from quizapp.srs.metrics import BinTotals, scored_reviews

    review = "r.kind = 'review'"
    conds = (review, f"{review} AND r.correct", f"{review} AND r.grade < 3",
             f"{review} AND r.reps_before >= 1", f"{review} AND r.reps_before >= 1 AND r.grade >= 3")
    counts = ", ".join(["COUNT(*)", *(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in conds)])
    bind.exec_driver_sql(
        f"INSERT INTO review_summary (learner, study_day, category, card_kind, retired, {', '.join(_COUNTS)}) "
        f"SELECT '', r.study_day, c.category, c.kind, c.retired, {counts} "
        "FROM reviews r JOIN cards c ON c.id = r.card_id GROUP BY r.study_day, c.category, c.kind, c.retired")
    rows = bind.exec_driver_sql(
        "SELECT card_id, study_day, last_day_before, interval_before, grade, fsrs_recall "
        "FROM reviews WHERE kind = 'review' ORDER BY card_id, id")
    totals = BinTotals()
    for scored in scored_reviews(rows):
        totals.add(scored)
    values = [("", *key, *acc) for key, acc in totals.bins.items()]
    if values:
        bind.exec_driver_sql(
            "INSERT INTO prediction_bins (learner, lapse_bin, elapsed_bin, number_bin, "
            f"{', '.join(_BIN_TOTALS)}) VALUES ({', '.join('?' * 10)})", values)
# The summary triggers as this revision created them (revision 0006 replaces them).
_TRIGGERS = {'trg_summary_card_update': 'AFTER UPDATE OF category, kind, retired ON cards WHEN OLD.category IS NOT '
                            'NEW.category OR OLD.kind IS NOT NEW.kind OR OLD.retired IS NOT NEW.retired '
                            'BEGIN INSERT INTO review_summary (learner, study_day, category, card_kind, '
                            'retired, answers, reviews, correct, lapses, recall_reviews, recalled) SELECT '
                            "'', r.study_day, OLD.category, OLD.kind, OLD.retired, -COUNT(*), -SUM(CASE WHEN "
                            "r.kind = 'review' THEN 1 ELSE 0 END), -SUM(CASE WHEN r.kind = 'review' AND "
                            "r.correct THEN 1 ELSE 0 END), -SUM(CASE WHEN r.kind = 'review' AND r.grade < 3 "
                            "THEN 1 ELSE 0 END), -SUM(CASE WHEN r.kind = 'review' AND r.reps_before >= 1 "
                            "THEN 1 ELSE 0 END), -SUM(CASE WHEN r.kind = 'review' AND r.reps_before >= 1 AND "
                            'r.grade >= 3 THEN 1 ELSE 0 END) FROM reviews r WHERE r.card_id = OLD.id GROUP '
                            'BY r.study_day ON CONFLICT (learner, study_day, category, card_kind, retired) '
                            'DO UPDATE SET answers = answers + excluded.answers, reviews = reviews + '
                            'excluded.reviews, correct = correct + excluded.correct, lapses = lapses + '
                            'excluded.lapses, recall_reviews = recall_reviews + excluded.recall_reviews, '
                            'recalled = recalled + excluded.recalled; INSERT INTO review_summary (learner, '
                            'study_day, category, card_kind, retired, answers, reviews, correct, lapses, '
                            "recall_reviews, recalled) SELECT '', r.study_day, NEW.category, NEW.kind, "
                            "NEW.retired, COUNT(*), SUM(CASE WHEN r.kind = 'review' THEN 1 ELSE 0 END), "
                            "SUM(CASE WHEN r.kind = 'review' AND r.correct THEN 1 ELSE 0 END), SUM(CASE WHEN "
                            "r.kind = 'review' AND r.grade < 3 THEN 1 ELSE 0 END), SUM(CASE WHEN r.kind = "
                            "'review' AND r.reps_before >= 1 THEN 1 ELSE 0 END), SUM(CASE WHEN r.kind = "
                            "'review' AND r.reps_before >= 1 AND r.grade >= 3 THEN 1 ELSE 0 END) FROM "
                            'reviews r WHERE r.card_id = NEW.id GROUP BY r.study_day ON CONFLICT (learner, '
                            'study_day, category, card_kind, retired) DO UPDATE SET answers = answers + '
                            'excluded.answers, reviews = reviews + excluded.reviews, correct = correct + '
                            'excluded.correct, lapses = lapses + excluded.lapses, recall_reviews = '
                            'recall_reviews + excluded.recall_reviews, recalled = recalled + '
                            'excluded.recalled; END',
 'trg_summary_review_delete': 'AFTER DELETE ON reviews BEGIN INSERT INTO review_summary (learner, study_day, '
                              'category, card_kind, retired, answers, reviews, correct, lapses, '
                              "recall_reviews, recalled) SELECT '', OLD.study_day, c.category, c.kind, "
                              "c.retired, -COUNT(*), -SUM(CASE WHEN OLD.kind = 'review' THEN 1 ELSE 0 END), "
                              "-SUM(CASE WHEN OLD.kind = 'review' AND OLD.correct THEN 1 ELSE 0 END), "
                              "-SUM(CASE WHEN OLD.kind = 'review' AND OLD.grade < 3 THEN 1 ELSE 0 END), "
                              "-SUM(CASE WHEN OLD.kind = 'review' AND OLD.reps_before >= 1 THEN 1 ELSE 0 "
                              "END), -SUM(CASE WHEN OLD.kind = 'review' AND OLD.reps_before >= 1 AND "
                              'OLD.grade >= 3 THEN 1 ELSE 0 END) FROM cards c WHERE c.id = OLD.card_id GROUP '
                              'BY c.id ON CONFLICT (learner, study_day, category, card_kind, retired) DO '
                              'UPDATE SET answers = answers + excluded.answers, reviews = reviews + '
                              'excluded.reviews, correct = correct + excluded.correct, lapses = lapses + '
                              'excluded.lapses, recall_reviews = recall_reviews + excluded.recall_reviews, '
                              'recalled = recalled + excluded.recalled; END',
 'trg_summary_review_insert': 'AFTER INSERT ON reviews BEGIN INSERT INTO review_summary (learner, study_day, '
                              'category, card_kind, retired, answers, reviews, correct, lapses, '
                              "recall_reviews, recalled) SELECT '', NEW.study_day, c.category, c.kind, "
                              "c.retired, COUNT(*), SUM(CASE WHEN NEW.kind = 'review' THEN 1 ELSE 0 END), "
                              "SUM(CASE WHEN NEW.kind = 'review' AND NEW.correct THEN 1 ELSE 0 END), "
                              "SUM(CASE WHEN NEW.kind = 'review' AND NEW.grade < 3 THEN 1 ELSE 0 END), "
                              "SUM(CASE WHEN NEW.kind = 'review' AND NEW.reps_before >= 1 THEN 1 ELSE 0 "
                              "END), SUM(CASE WHEN NEW.kind = 'review' AND NEW.reps_before >= 1 AND "
                              'NEW.grade >= 3 THEN 1 ELSE 0 END) FROM cards c WHERE c.id = NEW.card_id GROUP '
                              'BY c.id ON CONFLICT (learner, study_day, category, card_kind, retired) DO '
                              'UPDATE SET answers = answers + excluded.answers, reviews = reviews + '
                              'excluded.reviews, correct = correct + excluded.correct, lapses = lapses + '
                              'excluded.lapses, recall_reviews = recall_reviews + excluded.recall_reviews, '
                              'recalled = recalled + excluded.recalled; END',
 'trg_summary_review_update': 'AFTER UPDATE OF card_id, study_day, kind, grade, correct, reps_before ON '
                              'reviews BEGIN INSERT INTO review_summary (learner, study_day, category, '
                              'card_kind, retired, answers, reviews, correct, lapses, recall_reviews, '
                              "recalled) SELECT '', OLD.study_day, c.category, c.kind, c.retired, -COUNT(*), "
                              "-SUM(CASE WHEN OLD.kind = 'review' THEN 1 ELSE 0 END), -SUM(CASE WHEN "
                              "OLD.kind = 'review' AND OLD.correct THEN 1 ELSE 0 END), -SUM(CASE WHEN "
                              "OLD.kind = 'review' AND OLD.grade < 3 THEN 1 ELSE 0 END), -SUM(CASE WHEN "
                              "OLD.kind = 'review' AND OLD.reps_before >= 1 THEN 1 ELSE 0 END), -SUM(CASE "
                              "WHEN OLD.kind = 'review' AND OLD.reps_before >= 1 AND OLD.grade >= 3 THEN 1 "
                              'ELSE 0 END) FROM cards c WHERE c.id = OLD.card_id GROUP BY c.id ON CONFLICT '
                              '(learner, study_day, category, card_kind, retired) DO UPDATE SET answers = '
                              'answers + excluded.answers, reviews = reviews + excluded.reviews, correct = '
                              'correct + excluded.correct, lapses = lapses + excluded.lapses, recall_reviews '
                              '= recall_reviews + excluded.recall_reviews, recalled = recalled + '
                              'excluded.recalled; INSERT INTO review_summary (learner, study_day, category, '
                              'card_kind, retired, answers, reviews, correct, lapses, recall_reviews, '
                              "recalled) SELECT '', NEW.study_day, c.category, c.kind, c.retired, COUNT(*), "
                              "SUM(CASE WHEN NEW.kind = 'review' THEN 1 ELSE 0 END), SUM(CASE WHEN NEW.kind "
                              "= 'review' AND NEW.correct THEN 1 ELSE 0 END), SUM(CASE WHEN NEW.kind = "
                              "'review' AND NEW.grade < 3 THEN 1 ELSE 0 END), SUM(CASE WHEN NEW.kind = "
                              "'review' AND NEW.reps_before >= 1 THEN 1 ELSE 0 END), SUM(CASE WHEN NEW.kind "
                              "= 'review' AND NEW.reps_before >= 1 AND NEW.grade >= 3 THEN 1 ELSE 0 END) "
                              'FROM cards c WHERE c.id = NEW.card_id GROUP BY c.id ON CONFLICT (learner, '
                              'study_day, category, card_kind, retired) DO UPDATE SET answers = answers + '
                              'excluded.answers, reviews = reviews + excluded.reviews, correct = correct + '
                              'excluded.correct, lapses = lapses + excluded.lapses, recall_reviews = '
                              'recall_reviews + excluded.recall_reviews, recalled = recalled + '
                              'excluded.recalled; END'}
