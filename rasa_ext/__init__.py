"""Extensions loaded by the Rasa 3.6 server (Python 3.10 venv): keep them small."""
