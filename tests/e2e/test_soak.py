"""Soak (only with --run-slow): 4 validators for 300 blocks of random transfers, with two
validators' apps SIGKILLed and restarted along the way; every node ends on the same app hash."""

from __future__ import annotations

import random

import pytest

from localnet import Localnet
from tests.e2e.test_network import SEEDS, random_transfers, same_app_hash

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_four_validators_soak(tmp_path):
    net = Localnet(tmp_path / "run", validators=4, base_port=0,
                   env_per_app=lambda i: {"PYTHONHASHSEED": SEEDS[i]})
    net.start()
    try:
        rng = random.Random(300)
        for victim in (3, 1):
            random_transfers(net, 100, rng)
            net.kill_app(victim)
            net.kill_node(victim)
            random_transfers(net, 10, rng, node=0)
            net.start_app(victim)
            net.start_node(victim)
        random_transfers(net, 80, rng)
        top = min(net.height(i) for i in range(4)) - 1
        assert top >= 290
        for h in (top // 3, 2 * top // 3, top):
            assert len(same_app_hash(net, h)) == 1
    finally:
        net.stop()
