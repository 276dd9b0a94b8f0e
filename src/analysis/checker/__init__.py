"""The text checker: `python -m analysis check` and its evaluation on a corpus (`check-eval`)."""
