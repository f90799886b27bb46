"""The bank's store migrations, one file per consensus version reached (``v2.py``: 1 -> 2)."""
