"""The one door the views use, independent of any UI: `context` (deck, store, settings, clock),
`quiz` (a `QuizSession`: what comes next, answers, grades, undo), `plan` (today's numbers),
`overview` (the home and statistics screens' numbers), `browse` (cards and their schedules)."""
