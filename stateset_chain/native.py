"""The compiled core (``stateset_native``, built from native/ by maturin), one name at a time.

``compiled(name)`` is the compiled implementation of ``name``, or ``None`` when the core is not
built, is a build from before that name, or is turned off with ``STATESET_NATIVE=0``; the caller
then runs its Python reference (same results, only slower).
"""

from __future__ import annotations

import os
from typing import Any


def compiled(name: str) -> Any:
    if os.environ.get("STATESET_NATIVE", "1") == "0":
        return None
    try:
        import stateset_native
    except ImportError:
        return None
    return getattr(stateset_native, name, None)
