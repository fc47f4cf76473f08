"""The verdict on a notice as the person reads it: the explanation, with a "this looks wrong"
button. Each verdict shown is noted by its kind, verdict and reasons' codes (never the notice's
text), so that admins see in /feedback which verdicts people question, and how often."""

from __future__ import annotations

import hashlib

from bot.core.buttons import Feedback
from bot.core.dialogue.turn import Turn
from bot.core.messages import Button, NoteVerdict, NoticeRead, RecordFeedback


def verdict_key(notice: NoticeRead) -> str:
    """What is kept of a verdict: "KIND VERDICT CODE,CODE" (a dash for what is missing)."""
    return (
        f"{notice.kind or '-'} {notice.verdict} {','.join(r.code for r in notice.reasons) or '-'}"
    )


def say_explanation(turn: Turn, notice: NoticeRead) -> None:
    """The explanation of a notice; when it gives a verdict, with the button to question it."""
    said = notice.explanation(turn.lang)
    if not said.strip():
        return
    key = verdict_key(notice)
    ref = hashlib.sha256(key.encode()).hexdigest()[:12]
    turn.effects.append(NoteVerdict(ref, key))
    turn.say(said, ((Button(turn.t("feedback_button"), Feedback(ref)),),))


def feedback_pressed(turn: Turn, feedback: Feedback) -> None:
    """Recorded for the admins; the person is told honestly that the check is automatic."""
    turn.answer_press(chosen=turn.t("feedback_button"))
    turn.effects.append(RecordFeedback(feedback.ref))
    turn.say(turn.t("feedback_thanks"))
