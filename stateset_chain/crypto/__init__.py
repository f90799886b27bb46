"""Addresses (bech32, prefix ``stateset``) and secp256k1 signatures."""
