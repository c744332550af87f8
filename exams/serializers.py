"""Serializers of the attempts API. Output shapes carry no answer keys: ``selectors.attempt_view`` decides what a
learner may see, these only describe it."""

from __future__ import annotations

from rest_framework import serializers

from exams.room_rules import PAGE_EVENTS


class QuestionChoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class OnlyGivenMixin:
    """Leave out the optional fields the view did not include (review options decide which those are).

    The view is a dict, and these serializers name no ``source``: each field given is the dict's value, so only those
    are turned into their representation (DRF's own loop asks every field, and a missing key costs an exception:
    about a hundred per started attempt)."""

    def to_representation(self, instance):
        return {
            field.field_name: None if instance[field.field_name] is None
            else field.to_representation(instance[field.field_name])
            for field in self._readable_fields
            if field.field_name in instance
        }


class LearnerQuestionSerializer(OnlyGivenMixin, serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    response = serializers.JSONField(allow_null=True)
    saved_at = serializers.DateTimeField(allow_null=True)
    is_answered = serializers.BooleanField(required=False)  # a saved blank (a field emptied) is not an answer
    options = QuestionChoiceSerializer(many=True, required=False)
    prompts = QuestionChoiceSerializer(many=True, required=False)
    choices = QuestionChoiceSerializer(many=True, required=False)
    items = QuestionChoiceSerializer(many=True, required=False)
    blanks = serializers.IntegerField(required=False)
    earned = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    is_correct = serializers.BooleanField(required=False, allow_null=True)
    right_answer = serializers.JSONField(required=False)
    feedback = serializers.CharField(required=False)
    option_feedback = serializers.DictField(child=serializers.CharField(), required=False)
    grader_comment = serializers.CharField(required=False)


class AttemptSerializer(OnlyGivenMixin, serializers.Serializer):
    id = serializers.IntegerField()
    exam = serializers.IntegerField()
    exam_title = serializers.CharField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline_at = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(allow_null=True)
    next_seq = serializers.IntegerField()
    questions = LearnerQuestionSerializer(many=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    score_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    is_passed = serializers.BooleanField(required=False, allow_null=True)


class ResultSerializer(OnlyGivenMixin, serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    score_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    is_passed = serializers.BooleanField(required=False, allow_null=True)


class SaveInputSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1, help_text="The attempt's next sequence number (``next_seq``).")
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text='Responses by question position, e.g. {"1": "a", "2": ["a", "c"]}.',
    )

    def validate_answers(self, value):
        try:
            return {int(k): v for k, v in value.items()}
        except ValueError as exc:
            raise serializers.ValidationError("Keys are question positions (numbers).") from exc


class SaveOutputSerializer(serializers.Serializer):
    next_seq = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    # The server's deadline after the save (a proctor may have added time): a client counts down to it.
    deadline_at = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(allow_null=True)


class ConflictErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ConflictSerializer(serializers.Serializer):
    """The exam page reads ``detail``/``code``/``next_seq``; ``error`` is the API's one error format."""

    detail = serializers.CharField()
    code = serializers.CharField()
    next_seq = serializers.IntegerField(allow_null=True)
    error = ConflictErrorSerializer()


class StartInputSerializer(serializers.Serializer):
    start_code = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text="The code on the proctor's screen, for an exam that requires one.",
    )


class EventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(PAGE_EVENTS))
    at = serializers.DateTimeField(required=False, allow_null=True, help_text="The time on the candidate's computer.")


class EventsInputSerializer(serializers.Serializer):
    events = EventInputSerializer(many=True, allow_empty=False, max_length=50)


class EventsOutputSerializer(serializers.Serializer):
    recorded = serializers.IntegerField()
    leaves = serializers.IntegerField(help_text="Times this attempt has left the page so far.")
    limit = serializers.IntegerField(help_text="Times the exam allows before it ends the attempt (0: never).")
    ended = serializers.BooleanField(help_text="Whether this report ended the attempt.")


_attempt_output: AttemptSerializer | None = None


def attempt_output(view: dict) -> dict:
    """``AttemptSerializer(view).data`` from one serializer kept per process. DRF builds a serializer's fields anew for
    every instance (deep copies: about fifty field objects for an attempt, a tenth of a start's time); these output
    serializers keep nothing between calls (their fields read only the value and the active time zone)."""
    global _attempt_output
    if _attempt_output is None:
        _attempt_output = AttemptSerializer()
    return _attempt_output.to_representation(view)
