"""The command-line edge: `skillpath ...` commands, assembled in `main.py`."""
