"""Hub <-> central synchronisation and the central server (see ARCHITECTURE §7)."""
