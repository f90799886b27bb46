"""What another module attaches to the cctp receive flow, while the app is built.

The cctp keeper owns one ``MintHooks`` (``CctpKeeper.mint_hooks``); the module that takes charge
of some mints attaches to it in its own constructor (the crosschain module:
``CrosschainKeeper.__init__``), once:

- ``on_mint(ctx, MintInfo) -> bool``: called after every mint of a received burn message (see
  ``state.py``); True when it took charge of the minted coins;
- ``recipients(raw_address) -> bool``: the addresses the bank blocks that ``on_mint`` takes
  charge of (it moves the coins on in the same message): a mint there is allowed; any other
  blocked recipient is refused (MintRecipientBlocked) or parked;
- ``on_blocked(ctx, MintInfo, reason)``: parks a mint whose recipient the bank blocks (and
  ``on_mint`` does not take): takes the minted coins from the cctp module account for the
  original sender. None: such a message is refused (MintRecipientBlocked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stateset_chain.cctp.results import MintHook, MintInfo
from stateset_chain.context import Context

# on_blocked(ctx, info, reason): the coins of ``info`` sit in the cctp module account
BlockedMintHook = Callable[[Context, MintInfo, str], None]


@dataclass
class MintHooks:
    on_mint: MintHook | None = None
    recipients: Callable[[bytes], bool] | None = None
    on_blocked: BlockedMintHook | None = None

    def attach(
        self, on_mint: MintHook, recipients: Callable[[bytes], bool],
        on_blocked: BlockedMintHook | None = None,
    ) -> None:
        if self.on_mint is not None:
            raise ValueError("the cctp receive flow already has a mint hook")
        self.on_mint, self.recipients, self.on_blocked = on_mint, recipients, on_blocked
