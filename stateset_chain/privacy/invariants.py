"""Privacy invariants: crash (``InvariantBroken``) if state contradicts them (store scans)."""

from __future__ import annotations

from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from stateset_chain.privacy.envelope import PUBLIC_KEY_BYTES
from stateset_chain.privacy.state import PrivacyKeeper


def keys_well_formed(keeper: PrivacyKeeper, ctx: Context) -> None:
    """Every key is stored under its owner's address, is 32 bytes and has a version >= 1."""
    for raw, key in keeper.keys.iterate(ctx.store):
        if address.decode(key.owner) != raw:
            raise InvariantBroken(f"privacy: key of {key.owner} stored under {raw.hex()}")
        if len(key.public_key) != PUBLIC_KEY_BYTES or key.version < 1:
            raise InvariantBroken(f"privacy: key of {key.owner} is malformed")


ALL = (keys_well_formed,)
