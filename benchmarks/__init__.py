"""Benchmarks: a command, not a test. ``python -m benchmarks PART`` (or
``scripts/bench.sh PART``) prints a markdown section with the figures, the machine and the
command; results and targets are kept in docs/benchmarks.md.

Parts:

- ``inprocess``  FinalizeBlock + Commit throughput of blocks of pre-signed MsgSend transactions
                 on LevelDB with many funded accounts, no sockets (``inprocess.py``);
- ``commit``     CommitStore stage + commit time of a 10,000-key block against state size
                 (``commit.py``);
- ``localnet``   1 and 4 validators end to end, our app next to CometBFT's kvstore
                 (``network.py``);
- ``orders``     MsgCreateOrder and MsgPayOrder throughput with many existing orders, and
                 ListOrders latency at a small and a large order count (``orders.py``; the
                 synthetic orders and their import in ``orders_data.py``);
- ``cctp``       MsgReceiveMessage throughput, two attester signatures each (``cctp.py``);
- ``all``        each of them in its own process.

``chain.py`` is the in-process chain the throughput parts drive (InitChain, then
FinalizeBlock + Commit per block, timed, every result code 0). ``txs.py`` signs transactions
of any messages with libsecp256k1 (coincurve) exactly as cosmpy would, byte for byte, but ~12
times faster (55 µs against 0.7 ms per transaction here); ``report.py`` formats tables and reads
memory, machine and commit facts.
"""
