"""Qt (PySide6) windows and widgets. Talks to the hub through kiosk.client, never to a Session."""
