"""Simulate estimates the gas a tx will use: it runs with the last block's time, so the
timestamps an order writes (created_at, the timeline) have the size they will have when the
next block delivers it, and ``--gas auto`` needs its adjustment only for state changes."""

from __future__ import annotations

from tests.chain import Chain

from cosmos.tx.v1beta1 import service_pb2 as tx_service


def simulated_gas(chain: Chain, raw: bytes) -> int:
    result = chain.app.simulate(tx_service.SimulateRequest(tx_bytes=raw))
    assert result.code == 0, result.log
    return result.gas_used


def test_simulated_gas_of_an_order_equals_the_delivered_gas():
    chain = Chain.start()
    customer, merchant = chain.wallets[0], chain.wallets[1]
    for n in range(3):  # the next tx's sequence is tracked by chain.sign
        raw = chain.create_order(customer, merchant, n)
        estimate = simulated_gas(chain, raw)
        [result] = chain.block([raw]).tx_results
        assert result.code == 0, result.log
        assert result.gas_used == estimate
