"""The USCC as an input: one serializer field and one filter parameter for every app's API.

Public (not presentation) so that higher apps take them from here, never from the registry's
``api`` or ``filtersets`` modules.
"""

from __future__ import annotations

from rest_framework import serializers

from . import uscc as uscc_codes


class UsccField(serializers.CharField):
    """A USCC in any usual form (lower case, spaces, full-width), normalised; a malformed one
    fails with the validator's own code (uscc_length, uscc_character, uscc_checksum)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "help_text",
            "18 characters; lower case, spaces and full-width forms are accepted",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        text = super().to_internal_value(data)
        try:
            return uscc_codes.validate(text)
        except uscc_codes.InvalidUSCC as exc:
            raise serializers.ValidationError(str(exc.message), code=exc.code) from None


def uscc_param(value: str) -> str:
    """A filterset's ``uscc`` query parameter, normalised.

    Lower case, spaces and full-width forms are accepted; a malformed code is a 400 that names
    the parameter.
    """
    try:
        return uscc_codes.validate(value)
    except uscc_codes.InvalidUSCC as exc:
        exc.field = "uscc"
        raise
