"""The action server's answer is checked against one prepared validator, not a new one per call.

Rasa 3.6 checks every custom-action response with ``jsonschema.validate(result, schema)``
(``RemoteAction._validate_action_result``). That call first checks the schema itself and builds
a new validator each time; with jsonschema 4.17 this took about a third of Rasa's CPU time per
turn in our profile (docs/performance.md), because a form turn calls several custom actions.
The schema is a constant (``RemoteAction.action_response_format_spec``), so ``install()``
replaces the method with one that validates against a validator built once. Same check, same
error: the best-matching ``ValidationError`` with Rasa's hint appended.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions import action as rasa_action

_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    "Action endpoint is valid. For more information about the format visit "
    f"{rasa_action.DOCS_BASE_URL}/custom-actions"
)


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator for Rasa's action-response schema, checked and built once."""
    schema = rasa_action.RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += _HINT
        raise error
    return True


def install() -> None:
    """Use the prepared validator (once; calling again is harmless)."""
    rasa_action.RemoteAction._validate_action_result = _validate_action_result
