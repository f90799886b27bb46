"""The stablecoin module: ssUSD (``ussusd``) issued 1:1 against USDC (``uusdc``) in a reserve."""
