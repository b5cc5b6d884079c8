"""Errors a user can cause. The CLI turns them into one clear line and an exit code."""


class QuizappError(Exception):
    """A problem with input, files or the environment — not a bug in quizapp."""

    exit_code = 1
