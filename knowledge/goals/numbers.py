"""Numbers in Dutch text: "1.250", "6,8", "twintig procent"; and numbers written back in Dutch."""

from __future__ import annotations

import re

from knowledge.nl.text import fold

NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?![\w]|[.,]\d)")
WORD_NUMBERS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "vijftien": 15,
    "twintig": 20,
    "vijfentwintig": 25,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
    "honderd": 100,
}
_WORD_PERCENT = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\s+(procent|%)")


def to_float(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", text))


def normalise(text: str) -> str:
    text = fold(text[:1000])
    text = re.sub(r"[\u2012-\u2015\u2212]", " - ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _WORD_PERCENT.sub(lambda m: f"{WORD_NUMBERS[m.group(1)]} {m.group(2)}", text)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def number_text(value: float) -> str:
    """Dutch notation: 42, 6,8, 1250."""
    value = round(value, 2)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
