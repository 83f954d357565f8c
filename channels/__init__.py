"""Channel bridges (web page, Telegram): thin, separate from the dialogue and the knowledge."""
