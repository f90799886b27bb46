"""``statesetd keys``: the plaintext test keyring derives the known addresses from mnemonics."""

from __future__ import annotations

import io
import json
import stat

import pytest

from stateset_chain.cli.keyring import (
    InvalidMnemonic,
    KeyExists,
    KeyNotFound,
    Keyring,
    check_mnemonic,
)
from stateset_chain.cli.main import main
from stateset_chain.localnet import load_demo_accounts

ALICE = load_demo_accounts()[0]
assert ALICE["name"] == "alice"


def run(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_recover_gives_the_known_address(tmp_path, monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch, capsys,
        ["keys", "add", "alice", "--recover", "--keyring-dir", str(tmp_path)],
        stdin=ALICE["mnemonic"] + "\n",
    )
    assert code == 0
    assert json.loads(out)["address"] == ALICE["address"]
    assert "mnemonic" not in json.loads(out)


def test_show_list_and_show_address(tmp_path, monkeypatch, capsys):
    Keyring(tmp_path).add("alice", ALICE["mnemonic"])
    Keyring(tmp_path).add("zed")
    code, out, _ = run(monkeypatch, capsys, ["keys", "show", "alice", "--address",
                                             "--keyring-dir", str(tmp_path)])
    assert (code, out.strip()) == (0, ALICE["address"])
    code, out, _ = run(monkeypatch, capsys, ["keys", "list", "--keyring-dir", str(tmp_path)])
    assert [k["name"] for k in json.loads(out)] == ["alice", "zed"]


def test_a_new_key_prints_a_mnemonic_that_recovers_it(tmp_path, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, ["keys", "add", "new", "--keyring-dir", str(tmp_path)])
    created = json.loads(out)
    recovered, _ = Keyring(tmp_path / "other").add("again", created["mnemonic"])
    assert code == 0 and recovered.address == created["address"]


def test_the_stored_wallet_signs_for_the_shown_address(tmp_path):
    ring = Keyring(tmp_path)
    key, _ = ring.add("alice", ALICE["mnemonic"])
    assert str(ring.wallet("alice").address()) == key.address == ALICE["address"]


def test_key_files_are_private(tmp_path):
    Keyring(tmp_path).add("alice", ALICE["mnemonic"])
    assert stat.S_IMODE((tmp_path / "alice.json").stat().st_mode) == 0o600


def test_adding_a_name_twice_is_refused(tmp_path):
    Keyring(tmp_path).add("alice", ALICE["mnemonic"])
    with pytest.raises(KeyExists):
        Keyring(tmp_path).add("alice")


def test_showing_an_unknown_key_is_refused(tmp_path):
    with pytest.raises(KeyNotFound):
        Keyring(tmp_path).show("nobody")


@pytest.mark.parametrize("name", ["", "../evil", "a b", "-x"])
def test_key_names_cannot_escape_the_keyring(tmp_path, name):
    with pytest.raises(Exception) as info:
        Keyring(tmp_path).add(name)
    assert not isinstance(info.value, KeyExists)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda m: m.rsplit(" ", 1)[0] + " abandon",  # wrong last word: checksum fails
        lambda m: m.rsplit(" ", 1)[0],  # 23 words
        lambda m: m.replace(m.split()[0], "notaword", 1),
    ],
    ids=["checksum", "length", "unknown-word"],
)
def test_a_mistyped_mnemonic_is_refused(mutate):
    with pytest.raises(InvalidMnemonic):
        check_mnemonic(mutate(ALICE["mnemonic"]))


def test_a_bad_mnemonic_is_one_line_on_stderr_and_exit_1(tmp_path, monkeypatch, capsys):
    code, out, err = run(
        monkeypatch, capsys,
        ["keys", "add", "x", "--recover", "--keyring-dir", str(tmp_path)], stdin="hello world\n",
    )
    assert code == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
