"""Cross-chain order payments: the glue between ``cctp`` and ``orders`` (see SPEC.md).

A payer on another chain pays an order with a plain CCTP v1 burn whose mint recipient is the
order's deposit address (``deposit.py``); the cctp keeper's ``on_mint`` hook (``hook.py``) pays the
order with the minted coins, or parks them as unclaimed funds. Refunds of such payments are burned
back to the original sender (``refunder.py``, the orders keeper's ``CrossChainRefunder``).
Neither module imports the other; only this package and ``stateset_chain/wiring.py`` know both.
"""
