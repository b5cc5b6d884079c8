"""Response → verdict, and the strings a verdict says. Pure.

A response that is not an answer at all — an unreadable number, a conversion given in the prompt's
own unit, a letter with no option behind it — is `Outcome.RETRY`: the view says why and asks again,
and nothing is graded. Only a real answer is judged right or wrong.
"""

from __future__ import annotations

from quizapp.quiz.matching import match_text
from quizapp.quiz.questions import OPTION_KEYS, Mode, Outcome, Question, Verdict

__all__ = ["check", "suggest_grade"]

# Every sentence a verdict can say, in one place (for the message catalogue).
PICK_A_LETTER = "pick an option with its letter, {first} to {last} (digits are grades)"
NOT_AN_OPTION = "not one of the options"
TYPO_NOTE = "accepted; the usual spelling is “{spelling}”"
TWIN_NOTE = "that is the look-alike, not this one"


def check(question: Question, response: str | int | None) -> Verdict:
    """Grade a response: an option number (1-based) or text for CHOICE, text for TYPED."""
    if response is None or (isinstance(response, str) and not response.strip()):
        return Verdict(Outcome.SHOWN, "")
    if question.mode is Mode.CHOICE:
        return _check_choice(question, response)
    given = str(response)
    if question.expected is not None:
        from quizapp.quiz.drill_answers import check_drill  # units load only once a drill is asked

        numeric = check_drill(given, question.expected, question.unit, question.tolerance,
                              question.answer_type)
        outcome = {True: Outcome.CORRECT, False: Outcome.WRONG, None: Outcome.RETRY}[numeric.correct]
        return Verdict(outcome, given, numeric.message)
    found = match_text(given, question.accepted, question.twins, exact=question.exact)
    if found.correct:
        note = TYPO_NOTE.format(spelling=found.matched) if found.typo else ""
        return Verdict(Outcome.CORRECT, given, note, typo=found.typo)
    note = found.case or (TWIN_NOTE if found.twin else "")
    return Verdict(Outcome.WRONG, given, note, twin=found.twin)


def _check_choice(question: Question, response: str | int) -> Verdict:
    """An option letter, the option's own text, or (on a trap) a typed spelling of the answer.

    An `int` is an option number (1-based), for callers that are not a keyboard. A typed string is
    never read as an option number: digits are grades, so "3" twice cannot pick and grade; a bare
    digit or a letter with no option behind it asks again. Other text is an answer, judged.
    """
    count = len(question.options)
    if isinstance(response, int) and not isinstance(response, bool):
        number = response
    else:
        text = str(response).strip()
        letter = text.casefold()
        is_key = len(letter) == 1 and letter in OPTION_KEYS
        found = None if is_key else _typed_choice(question, text)
        if found is not None:
            return found
        if is_key:
            number = OPTION_KEYS.index(letter) + 1
        elif not text.isdecimal():  # an answer, just not one of these
            return Verdict(Outcome.WRONG, text, NOT_AN_OPTION)
        else:  # digits are grade keys: not an answer yet
            number = 0
    if not 1 <= number <= count:
        return Verdict(Outcome.RETRY, str(response),
                       PICK_A_LETTER.format(first=OPTION_KEYS[0], last=OPTION_KEYS[count - 1]))
    chosen = question.options[number - 1]
    outcome = Outcome.CORRECT if number - 1 == question.answer_index else Outcome.WRONG
    return Verdict(outcome, chosen.en, twin=outcome is Outcome.WRONG and chosen.en in question.twins)


def _typed_choice(question: Question, text: str) -> Verdict | None:
    """A typed answer to a choice card: a spelling of the answer or its look-alike, or one of the
    options in full; None when it is neither (then the learner is asked again)."""
    if question.accepted:
        found = match_text(text, question.accepted, question.twins, exact=question.exact)
        if found.correct or found.twin:
            outcome = Outcome.CORRECT if found.correct else Outcome.WRONG
            return Verdict(outcome, text, found.case, typo=found.typo, twin=found.twin)
    for i, option in enumerate(question.options):
        found = match_text(text, [option.en, option.zh], exact=question.exact)
        if found.correct and not found.typo:
            return _check_choice(question, i + 1)
    return None


def suggest_grade(question: Question, verdict: Verdict, seconds: float) -> int:
    """SM-2 grade from correctness and speed; choosing is easier than recalling, so it caps at 4."""
    if verdict.outcome is Outcome.SHOWN:
        return 0
    if not verdict.correct:
        return 2 if verdict.typo or verdict.twin else 1
    if question.mode is Mode.CHOICE:
        return 4 if seconds <= 15 else 3
    if verdict.typo:
        return 3 if seconds > 30 else 4
    if seconds <= 10:
        return 5
    return 4 if seconds <= 30 else 3
