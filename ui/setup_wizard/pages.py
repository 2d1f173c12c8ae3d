"""The pages' order: the id of each page and where each one leads."""

CHOICE, OFFICE, ADMIN, JOIN, PRINTER, CHECK, START = range(7)
