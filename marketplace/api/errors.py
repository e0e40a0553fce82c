"""The API's errors: raised as ApiError, answered as problem details (problems.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError

from marketplace.api.problems import problem_response
from marketplace.validation_messages import translate_validation


class ApiError(Exception):
    """An answer in the API's error format; `code` is the stable name of the problem."""

    def __init__(
        self,
        status: int,
        message: str,
        details: dict | None = None,
        headers=None,
        code: str | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details or {}
        self.headers, self.code = headers or {}, code


def answer_api_error(error: ApiError):
    """The problem answer of an ApiError, with its headers (Retry-After, WWW-Authenticate)."""
    response = problem_response(error.status, error.message, error.details, error.code)
    response.headers.update(error.headers)
    return response


def field_errors(error: ValidationError) -> dict:
    """Marshmallow's messages as {field: [messages]}, in the reader's language (nesting kept)."""
    messages = error.messages if isinstance(error.messages, dict) else {"_": error.messages}

    def clean(value):
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return translate_validation(str(value))

    return clean(messages)


def invalid(
    error: ValidationError, message: str | None = None, code: str = "invalid-body"
) -> ApiError:
    """A 400 naming each wrong field."""
    return ApiError(400, message or _("Some values are not valid."), field_errors(error), code=code)
