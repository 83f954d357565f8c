"""Plugins of the action server, found by rasa-sdk itself (``rasa_sdk.plugin`` imports this
package by name and calls :func:`init_hooks`), in the main process and in every Sanic worker.

The only plugin checks the shared secret: see action_token.py.
"""

from __future__ import annotations

import pluggy

from rasa_sdk_plugins import action_token


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(action_token)
