"""`python -m adviser_app` and the PyInstaller entry point (absolute imports only)."""

from adviser_app.app import main

if __name__ == "__main__":
    raise SystemExit(main())
