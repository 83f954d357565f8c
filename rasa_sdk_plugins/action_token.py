"""The action server answers only the Rasa server: every call must carry the shared token.

Rasa 3.6 sends ``action_endpoint.token`` of bot/endpoints.yml as the query parameter
``token=`` (rasa/utils/endpoints.py, EndpointConfig.combine_parameters). Without the right
token the answer is 401, so nobody else on the host can send a made-up tracker (any sender id)
and act for a plan participant. Only /health stays open (it holds no data). No token set
means every call is refused: the server never runs open by mistake.
"""

from __future__ import annotations

import hmac
import logging
import os

import pluggy
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

TOKEN_SETTING = "ACTION_SERVER_TOKEN"
OPEN_PATHS = {"/health"}

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)


def authorised(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an empty expected token authorises nobody."""
    return bool(expected) and hmac.compare_digest((given or "").encode(), expected.encode())


async def check_token(request: Request) -> HTTPResponse | None:
    if request.path in OPEN_PATHS:
        return None
    if authorised(request.args.get("token"), os.environ.get(TOKEN_SETTING, "")):
        return None
    logger.warning("Aanroep zonder geldige token geweigerd (%s %s)", request.method, request.path)
    return json({"error": "unauthorised"}, status=401)


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    if not os.environ.get(TOKEN_SETTING):
        logger.error("%s is niet gezet: de actieserver weigert elke aanroep.", TOKEN_SETTING)
    app.register_middleware(check_token, "request")
