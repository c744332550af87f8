from django.contrib.auth import get_user_model
from rest_framework import serializers

from certificates import codes
from certificates.models import Certificate, Certification
from exams.localized_names import source_rows


class CertificateSerializer(serializers.ModelSerializer):
    certification = serializers.CharField(source="certification.name")
    status = serializers.CharField(read_only=True)
    verify_code = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "number", "certification", "course_title", "cycle", "holder_name", "employee_number",
                  "score_percent", "issued_at", "expires_at", "revoked_at", "revoke_reason", "status", "verify_code",
                  "credential"]

    def get_verify_code(self, obj) -> str:
        return codes.display(obj.code)


class PublicVerificationSerializer(serializers.Serializer):
    """What the public may learn from a code: no full name, no employee number."""

    holder = serializers.CharField()
    certification = serializers.CharField()
    course = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=["active", "expiring", "expired", "revoked"])
    revoked_at = serializers.DateTimeField(allow_null=True)


class PublicNumberVerificationSerializer(serializers.Serializer):
    """What the public may learn from a certificate number, which is printed in plain view and sequential: that the
    certificate exists, what it certifies, its status and dates. Never whose it is: ask with the verification code."""

    number = serializers.CharField()
    certification = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    # The same four values as PublicVerificationSerializer's status; a plain string here, because a second component
    # with that enum makes drf-spectacular name it by a hash (a warning) unless every site sets ENUM_NAME_OVERRIDES.
    status = serializers.CharField(help_text="active, expiring, expired or revoked")
    revoked_at = serializers.DateTimeField(allow_null=True)
    holder_shown_by = serializers.CharField(help_text="Where to learn whose certificate it is: the verification code.")


class CredentialInputSerializer(serializers.Serializer):
    jwt = serializers.CharField(max_length=20000, trim_whitespace=True)


class CredentialResultSerializer(serializers.Serializer):
    is_valid = serializers.BooleanField()
    signature_ok = serializers.BooleanField()
    dates_ok = serializers.BooleanField()
    status_checked = serializers.BooleanField()
    is_revoked = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())
    credential = serializers.DictField(allow_empty=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class IssueInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    certification = serializers.PrimaryKeyRelatedField(queryset=source_rows(Certification))
