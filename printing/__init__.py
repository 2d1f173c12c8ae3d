"""Ticket and receipt layouts as plain data, ESC/POS rendering, printer backends, previews."""
