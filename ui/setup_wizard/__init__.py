"""«Configurar esta PC»: what the program shows the first time it opens on a PC with no office
(issue 19). `steps` does the work without Qt; one module per page of the wizard; `wizard`
puts them together; `launch` is `cac start` (the wizard, or the window this PC is for)."""
