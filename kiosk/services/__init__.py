"""Services: plain functions over a unit of work. No Qt, no HTTP."""
