"""``statesetd start --keep-versions``: parsed into the store's setting, bad values refused."""

from __future__ import annotations

import pytest

from stateset_chain.cli.main import DEFAULT_KEEP_VERSIONS, build_parser


def test_keep_versions_default_and_values():
    parse = build_parser().parse_args
    assert parse(["start", "--home", "h"]).keep_versions == DEFAULT_KEEP_VERSIONS == 100
    assert parse(["start", "--home", "h", "--keep-versions", "0"]).keep_versions == 0
    assert parse(["start", "--home", "h", "--keep-versions", "7"]).keep_versions == 7


@pytest.mark.parametrize("bad", ["-1", "x", "1.5"])
def test_a_bad_keep_versions_is_refused(bad, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["start", "--home", "h", "--keep-versions", bad])
    assert "--keep-versions takes 0 (keep all) or a positive integer" in capsys.readouterr().err
