"""The privacy module: encryption keys per account, sealed personal data (docs/privacy.md)."""
