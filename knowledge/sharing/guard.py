"""The rules every text obeys before it is written to the plan store, whoever writes it.

Text is cleaned with the one cleaning rule (``knowledge.sanitize.clean_text``), and text with
personal data of residents is refused with ``PersonalDataRefused``. The store applies these on
every write, so no caller can forget them.
"""

from __future__ import annotations

import copy
from typing import Any

from knowledge.privacy import find_personal_data, personal_data_warning
from knowledge.sanitize import clean_text
from knowledge.sharing.records import PersonalDataRefused


def refuse_personal_data(text: str) -> None:
    """Raise ``PersonalDataRefused`` (with the Dutch warning) when ``text`` holds personal data."""
    findings = find_personal_data(text)
    if findings:
        raise PersonalDataRefused(personal_data_warning(findings))


def clean(value: str | None) -> str:
    """Cleaned and stripped text; None is empty."""
    return clean_text(value or "").strip()


def stored_text(value: str | None, name: str) -> str:
    """Text that may be stored: cleaned, not empty (ValueError), no personal data (refused)."""
    text = clean(value)
    if not text:
        raise ValueError(f"{name} is empty")
    refuse_personal_data(text)
    return text


def stored_answers(answers: Any) -> dict[str, Any]:
    """A copy of a plan's answers with every text cleaned; personal data in any is refused."""
    if not isinstance(answers, dict):
        raise TypeError(f"answers must be a dict, not {type(answers).__name__}")
    return _clean_tree(copy.deepcopy(answers))


def _clean_tree(value: Any) -> Any:
    if isinstance(value, str):
        text = clean_text(value)
        refuse_personal_data(text)
        return text
    if isinstance(value, dict):
        return {key: _clean_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_tree(item) for item in value]
    return value
