"""Methodewijzer knowledge: catalogue, search and planning logic (pure Python, no Rasa)."""
