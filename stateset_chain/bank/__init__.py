"""The bank module: balances, total supply, MsgSend, and mint/burn for module accounts."""
