"""The orders module: the order lifecycle with stablecoin escrow, settlement and list queries."""
