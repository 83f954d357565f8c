"""The project's web server: plan downloads (and the chat page)."""
