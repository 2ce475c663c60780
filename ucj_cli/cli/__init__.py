"""Commands: `app.py` registers them, `common.py` holds what they share, one small module per command
group. No logic and no arithmetic: each command goes through the library API (`ucj_cli.api`)."""
