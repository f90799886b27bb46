"""The ``statesetd`` argument parser: every command is reachable, documented and wired."""

from __future__ import annotations

import argparse
from fractions import Fraction

import pytest

from stateset_chain.cli.main import build_parser, main


def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every path of sub-commands, e.g. ("tx", "bank", "send"), including the groups."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _command_paths(sub, (*prefix, name))


PATHS = list(_command_paths(build_parser()))


def test_the_documented_commands_exist():
    leaves = {" ".join(p) for p in PATHS}
    for command in [
        "init", "start", "keys add", "keys list", "keys show", "tx bank send",
        "tx stablecoin issue", "tx stablecoin redeem", "query account", "query balance",
        "query supply",
    ]:
        assert command in leaves


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "statesetd")
def test_help_works_for_every_command(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--help"])
    assert exit_info.value.code == 0
    assert "usage: statesetd" in capsys.readouterr().out


def test_every_leaf_command_has_a_handler():
    parser = build_parser()
    samples = {
        ("keys", "add"): ["a"], ("keys", "show"): ["a"], ("query", "account"): ["a"],
        ("query", "balance"): ["a"], ("tx", "bank", "send"): ["a", "b", "1uusdc"],
        ("tx", "stablecoin", "issue"): ["a", "1"], ("tx", "stablecoin", "redeem"): ["a", "1"],
        ("init",): ["--home", "h"], ("start",): ["--home", "h"],
        ("keys", "list"): [], ("query", "supply"): [],
    }
    for path, extra in samples.items():
        args = parser.parse_args([*path, *extra])
        assert callable(args.func), path


def test_a_missing_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["tx"])
    assert exit_info.value.code == 2


def test_tx_flags_have_the_documented_defaults():
    args = build_parser().parse_args(["tx", "bank", "send", "a", "b", "1uusdc"])
    assert (args.node, args.gas, args.fees, args.chain_id, args.no_wait) == (
        "http://127.0.0.1:26657", "auto", None, None, False,
    )
    assert args.gas_adjustment == Fraction(13, 10)
