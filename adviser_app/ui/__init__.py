"""The PySide6 screens. Importing it guards None against the Qt bindings' reference-count
fault on Python 3.11 (see adviser_app/none_guard.py)."""

from adviser_app.none_guard import keep_none_alive

keep_none_alive()
