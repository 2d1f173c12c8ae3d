"""The administrator's window (`cac admin`, `cac app --windows admin`)."""
