"""Filling in the local shell's open forms: each field asked in turn, the form submitted through the
app as Slack would, and the app's answer followed: errors asked again, a view updated or pushed, the
form closed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.shell.client import fresh_id
from bot.shell.forms import (
    CANCEL,
    Answer,
    Field,
    Filler,
    View,
    fields_of,
    initial_answers,
    question,
    read_answer,
    state_values,
    unsupported,
)
from bot.shell.screen import Screen
from bot.shell.terminal import render_blocks

Submit = Callable[[View, dict[str, Any]], Awaitable[dict[str, Any]]]  # view, state.values -> answer


@dataclass
class FormDesk:
    screen: Screen
    read: Callable[[str], str | None]
    submit: Submit

    async def fill_all(self, filler: Filler) -> None:
        """Until no form is open: the top one filled in and sent, or closed with `cancel`."""
        forms = self.screen.forms
        while forms:
            view = forms[-1]
            answer = await self._fill(view, filler)
            if answer is None:
                forms.pop()
                self.screen.say("Closed the form; nothing was sent.\n")
            else:
                self._follow(view, answer)

    async def _fill(self, view: View, filler: Filler) -> dict[str, Any] | None:
        """The app's answer to the form once it took it; None when the person closed it."""
        fields = fields_of(view)
        if missing := unsupported(fields):
            self.screen.say(f"This form has inputs the shell cannot fill in ({', '.join(missing)}).")
            return None
        self._show(view)
        answers: dict[str, Answer] | None = initial_answers(fields)
        todo: Sequence[Field] = fields
        while answers is not None:
            answers = self._ask(todo, answers, filler)
            if answers is None:
                break
            self.screen.say(f"(sending the form: {_words(view, 'submit', 'Submit')})\n")
            reply = await self.submit(view, state_values(fields, answers))
            errors = reply.get("errors") if reply.get("response_action") == "errors" else None
            if not errors:
                return reply
            self.screen.say("The form was not accepted:")
            labels = {f.block_id: f.label for f in fields}
            self.screen.say("\n".join(f"  {labels.get(k, k)}: {e}" for k, e in errors.items()))
            todo = [f for f in fields if f.block_id in errors] or fields
        return None

    def _show(self, view: View) -> None:
        sends = _words(view, "submit", "Submit")
        self.screen.say(f"[form: {_words(view, 'title', '')}]")
        if told := render_blocks(view.get("blocks", []), self.screen.names).text:
            self.screen.say(told)
        self.screen.say(f"(Field by field; after the last one it is sent: {sends}. `{CANCEL}` closes it.)")

    def _ask(
        self, fields: Sequence[Field], answers: dict[str, Answer], filler: Filler
    ) -> dict[str, Answer] | None:
        answers = dict(answers)
        for field in fields:
            self.screen.say(question(field, answers[field.block_id], filler))
            while True:
                line = self.read("  > ")
                if line is None or line.strip().lower() == CANCEL:
                    return None
                got = read_answer(field, line, answers[field.block_id], filler)
                if not isinstance(got, str):
                    answers[field.block_id] = got
                    break
                self.screen.say("  " + got)
        return answers

    def _follow(self, view: View, answer: dict[str, Any]) -> None:
        """What Slack does with the submitted view, as the app's response_action says."""
        forms = self.screen.forms
        at = next((n for n, shown in enumerate(forms) if shown["id"] == view["id"]), None)
        if at is None:
            return
        match answer.get("response_action"):
            case "update":
                forms[at] = {**answer["view"], "id": view["id"]}
            case "push":
                forms.append({**answer["view"], "id": fresh_id("V")})
            case "clear":
                forms.clear()
            case _:
                del forms[at]


def _words(view: View, part: str, default: str) -> str:
    """The text of the view's title or of one of its buttons."""
    return str((view.get(part) or {}).get("text", default))
