"""What the privacy module needs from other modules: nothing.

The key registry stands alone; the orders module reads it through its own
``orders.expected.EncryptionKeys`` (``PrivacyKeeper`` fits it).
"""

from __future__ import annotations
