"""Rasa SDK action server: thin adapters that call the pure-Python ``knowledge`` package."""
