"""Errors a user can cause. The CLI turns them into one clear line and an exit code."""


class QuizappError(Exception):
    """A problem with input, files or the environment — not a bug in quizapp."""

    exit_code = 1
    # False: nothing the learner does inside the app can fix it (the database file was replaced
    # or deleted under it), so the app stops; True: one notice, and the step can be tried again.
    recoverable = True
