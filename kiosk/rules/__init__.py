"""Pure domain rules: no I/O, no Qt, no HTTP."""
