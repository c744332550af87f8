"""Option ids as a learner sees them: opaque, different in every attempt.

The bank's own ids (``a``, ``i1``, ``p1``/``c1``) follow the author's numbering, which often is the answer key
(the right option first, items in their right order, prompt N with choice N). They never reach the browser: every
learner-facing response (HTML, API, autosave, submit) carries an id derived from the attempt (its pk and random
seed), the question's position, the field and the bank id with an HMAC keyed by ``SECRET_KEY``. Posted answers are
mapped back on the server; anything that is not one of the attempt's opaque ids is refused. Stored responses, the
snapshot, scoring, regrades and item analysis keep the bank's ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

FIELDS = ("options", "prompts", "choices", "items")
# Which field a response (and the key) refers to, per question type.
_LIST_FIELD = {"single": "options", "multiple": "options", "ordering": "items"}


def opaque(*, attempt_id: int, seed: int, position: int, field: str, bank_id: str) -> str:
    """The id the learner sees for one option of one question of one attempt."""
    value = f"{attempt_id}:{seed}:{position}:{field}:{bank_id}"
    return "o" + salted_hmac("lms_exams.option_ids", value, algorithm="sha256").hexdigest()[:16]


class IdMap:
    """Both directions between the bank's ids and the learner's ids for one frozen question."""

    def __init__(self, *, attempt_id: int, seed: int, position: int, snapshot: Mapping[str, Any]):
        content = snapshot.get("content") or {}
        self.out: dict[str, dict[str, str]] = {}
        self.back: dict[str, dict[str, str]] = {}
        for field in FIELDS:
            mapping = {
                str(o["id"]): opaque(attempt_id=attempt_id, seed=seed, position=position, field=field,
                                     bank_id=str(o["id"]))
                for o in content.get(field) or []
            }
            self.out[field] = mapping
            self.back[field] = {v: k for k, v in mapping.items()}
        self.kind = snapshot["kind"]

    @classmethod
    def for_row(cls, row) -> IdMap:
        attempt = row.attempt
        return cls(attempt_id=attempt.pk, seed=attempt.seed, position=row.position, snapshot=row.snapshot)

    def to_learner(self, field: str, bank_id: Any) -> str:
        return self.out[field].get(str(bank_id), "")

    def _from_learner(self, field: str, value: Any) -> str:
        found = self.back[field].get(str(value)) if isinstance(value, (str, int)) else None
        if found is None:
            raise ValidationError(_("This answer does not fit the question."))
        return found

    def response_to_learner(self, response: Any) -> Any:
        """A stored response (bank ids) as the learner's form shows it (opaque ids)."""
        if response is None:
            return None
        if self.kind == "single":
            return self.to_learner("options", response)
        if self.kind in ("multiple", "ordering") and isinstance(response, list):
            return [self.to_learner(_LIST_FIELD[self.kind], v) for v in response]
        if self.kind == "matching" and isinstance(response, dict):
            return {self.to_learner("prompts", k): self.to_learner("choices", v) for k, v in response.items()}
        return response

    def response_from_learner(self, response: Any) -> Any:
        """A posted response (opaque ids) in the bank's ids; ValidationError for an id that is not this attempt's.
        Responses without option ids (text, numbers, true/false) pass through unchanged."""
        if response is None or response == "":
            return response
        if self.kind == "single":
            return self._from_learner("options", response)
        if self.kind in ("multiple", "ordering"):
            if not isinstance(response, list):
                raise ValidationError(_("This answer does not fit the question."))
            return [self._from_learner(_LIST_FIELD[self.kind], v) for v in response]
        if self.kind == "matching":
            if not isinstance(response, dict):
                raise ValidationError(_("This answer does not fit the question."))
            return {
                self._from_learner("prompts", k): ("" if v in ("", None) else self._from_learner("choices", v))
                for k, v in response.items()
            }
        return response

    def key_to_learner(self, key: Mapping[str, Any]) -> dict[str, Any]:
        """The answer key in the learner's ids (shown only when the review options allow the right answers)."""
        key = dict(key)
        if self.kind in ("single", "multiple"):
            key["correct"] = [self.to_learner("options", i) for i in key.get("correct") or []]
        elif self.kind == "ordering":
            key["order"] = [self.to_learner("items", i) for i in key.get("order") or []]
        elif self.kind == "matching":
            pairs = key.get("pairs") or {}
            key["pairs"] = {self.to_learner("prompts", p): self.to_learner("choices", c) for p, c in pairs.items()}
        return key

    def feedback_key(self, bank_id: Any) -> str:
        """The learner's id of an option that carries feedback."""
        field = "options" if self.kind in ("single", "multiple") else _LIST_FIELD.get(self.kind, "options")
        return self.to_learner(field, bank_id) or str(bank_id)
