"""The cctp module: Circle's Cross-Chain Transfer Protocol (v1), as Noble runs it.

USDC burned on another chain is minted here as ``uusdc`` once Circle's attesters sign the
message; ``uusdc`` burned here is minted on the destination chain. See SPEC.md.
"""
