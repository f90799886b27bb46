"""Auth queries: the account as an Any-packed BaseAccount (what cosmpy and our client read), and
params at the SDK path and ours."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.module import auth_module
from stateset_chain.auth.params import parse_dec
from stateset_chain.context import BlockInfo, Context
from stateset_chain.errors import InvalidAddress, NotFound
from stateset_chain.store.kv import Branch
from tests.auth.helpers import ALICE, BOB, addr, new_chain, signed

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.auth.v1beta1 import query_pb2 as q
from stateset.auth.v1 import query_pb2 as ours


def routes(chain):
    return {r.path: r for r in auth_module(chain.auth).queries}


def ask(chain, path, request, store=None):
    ctx = Context(Branch(store if store is not None else chain.store), BlockInfo(1, 0, "t"))
    route = routes(chain)[path]
    # through bytes, as the app does
    return route.handler(ctx, route.request_cls.FromString(request.SerializeToString()))


def test_account_answers_an_any_packed_base_account():
    chain = new_chain(auth_data={"params": {"min_gas_price": "0"}})
    _, branch, _ = chain.run(signed([(ALICE, 0, 0)], fee=[]))
    response = ask(
        chain,
        "/cosmos.auth.v1beta1.Query/Account",
        q.QueryAccountRequest(address=addr(ALICE)),
        branch,
    )
    assert response.account.type_url == "/cosmos.auth.v1beta1.BaseAccount"
    account = auth_pb2.BaseAccount()
    assert response.account.Unpack(account)
    assert (account.address, account.account_number, account.sequence) == (addr(ALICE), 0, 1)
    assert account.pub_key.type_url == "/cosmos.crypto.secp256k1.PubKey"


def test_an_unknown_account_is_not_found():
    chain = new_chain()
    with pytest.raises(NotFound) as e:
        ask(chain, "/cosmos.auth.v1beta1.Query/Account", q.QueryAccountRequest(address=addr(BOB)))
    assert (e.value.codespace, e.value.code) == ("sdk", 38)
    assert e.value.log == f"account {addr(BOB)} not found: not found"


@pytest.mark.parametrize("bad", ["", "cosmos1xyz", "stateset1notbech32"])
def test_an_invalid_address_is_refused(bad):
    with pytest.raises(InvalidAddress):
        ask(new_chain(), "/cosmos.auth.v1beta1.Query/Account", q.QueryAccountRequest(address=bad))


def test_params_at_the_sdk_path_and_ours():
    chain = new_chain(auth_data={"params": {"tx_sig_limit": "4", "min_gas_price": "0.02"}})
    sdk = ask(chain, "/cosmos.auth.v1beta1.Query/Params", q.QueryParamsRequest()).params
    assert (sdk.max_memo_characters, sdk.tx_sig_limit, sdk.tx_size_cost_per_byte) == (256, 4, 10)
    assert sdk.sig_verify_cost_secp256k1 == 1000
    full = ask(chain, "/stateset.auth.v1.Query/Params", ours.QueryParamsRequest()).params
    assert list(full.fee_denoms) == ["uusdc", "ussusd"]
    assert int(full.min_gas_price) == parse_dec("0.02")
    assert full.max_tx_bytes == 65536


def test_account_info_is_the_account_itself_and_the_prefix_is_stateset():
    chain = new_chain(auth_data={"params": {"min_gas_price": "0"}})
    _, branch, _ = chain.run(signed([(ALICE, 0, 0)], fee=[]))
    info = ask(chain, "/cosmos.auth.v1beta1.Query/AccountInfo",
               q.QueryAccountInfoRequest(address=addr(ALICE)), branch).info
    assert (info.address, info.sequence) == (addr(ALICE), 1)
    with pytest.raises(NotFound):
        ask(chain, "/cosmos.auth.v1beta1.Query/AccountInfo",
            q.QueryAccountInfoRequest(address=addr(BOB)))
    prefix = ask(chain, "/cosmos.auth.v1beta1.Query/Bech32Prefix", q.Bech32PrefixRequest())
    assert prefix.bech32_prefix == "stateset"
