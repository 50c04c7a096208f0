"""The IT support commands' names, kept apart so starting the window need not load them."""

COMMANDS = ("check", "backup", "restore")
