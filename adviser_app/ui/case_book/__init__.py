"""The case book's lifecycle on screen: welcome, unlock, passphrases, the idle lock, training mode
and file jobs."""
