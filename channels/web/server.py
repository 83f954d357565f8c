"""Web server: serves plan downloads at /plans/<id>.docx.

Run: python -m channels.web.server (make run starts it). Plan ids are unguessable and checked
against a strict pattern before any file access.
"""

from __future__ import annotations

import os

from sanic import Sanic
from sanic.response import HTTPResponse, file, json, text

from knowledge.plan import PlanStore

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def create_app(store: PlanStore | None = None) -> Sanic:
    app = Sanic("methodewijzer_web")
    app.config.ACCESS_LOG = False
    plans = store or PlanStore()

    @app.get("/health")
    async def health(_request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/plans/<name:str>")
    async def plan_download(_request, name: str) -> HTTPResponse:
        plan_id = name.removesuffix(".docx")
        path = plans.docx_path(plan_id) if name.endswith(".docx") else None
        if path is None:
            return text(
                "Dit plan bestaat niet (meer). Vraag de assistent om 'laat mijn plan zien'.",
                status=404,
            )
        return await file(path, mime_type=DOCX_TYPE, filename=f"plan-van-aanpak-{plan_id[:8]}.docx")

    return app


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8080"))
    host = os.environ.get("METHODEWIJZER_HOST", "127.0.0.1")
    create_app().run(host=host, port=port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
