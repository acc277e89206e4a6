"""Sub-commands of `python -m opengov`, one module per feature (see opengov/cli.py)."""
