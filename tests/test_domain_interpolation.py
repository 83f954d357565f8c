"""Every domain response goes through Rasa's slot interpolation without an error.

Rasa 3.6 fills ``{slot}`` placeholders in texts and in button payloads; a payload with entity
braces (``/intent{"entity": "value"}``) made its interpolator log an error with a traceback at
every use (costly under load). Doubled braces are Rasa's escape: the user gets single ones.
"""

from __future__ import annotations

import json

from rasa_probe import rasa_probe

PROBE = r"""
import json
from rasa.core.nlg import interpolator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain

domain = Domain.load("bot/domain")
problems = []
interpolator.structlogger.exception = lambda event, **kw: problems.append(kw.get("placeholder_key"))
slots = {slot.name: None for slot in domain.slots}
nlg = TemplatedNaturalLanguageGenerator(domain.responses)
payloads = []
for name, variations in domain.responses.items():
    for variation in variations:
        filled = nlg._fill_response(dict(variation), slots)
        payloads += [b.get("payload", "") for b in filled.get("buttons") or []]
print(json.dumps({"errors": problems, "payloads": payloads, "responses": len(domain.responses)}))
"""


def test_no_domain_response_makes_the_interpolator_log_an_error():
    result = json.loads(rasa_probe(PROBE))
    assert result["responses"] >= 10
    assert result["errors"] == []
    entity_payloads = [p for p in result["payloads"] if "{" in p]
    assert '/explain_method{"method": "kvo"}' in entity_payloads  # utter_default's example
    assert not any("{{" in p for p in entity_payloads)
