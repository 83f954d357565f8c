"""Methodewijzer knowledge: the rules of the assistant in plain Python (no Rasa); see README."""
