"""The auth module: accounts, transaction decoding and the ante chain (signatures, fees, gas)."""
