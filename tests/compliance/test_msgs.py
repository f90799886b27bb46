"""The compliance messages one by one: who may sign, validation, duplicates, state and events."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import errors
from stateset_chain.errors import InvalidAddress, InvalidCoins, InvalidPagination
from tests.compliance.helpers import AUTHORITY, CUSTOMER, OFFICER, STRANGER, CChain

from stateset.compliance.v1 import events_pb2 as cev
from stateset.compliance.v1 import query_pb2 as q
from stateset.compliance.v1 import tx_pb2 as t


def test_only_the_compliance_authority_changes_the_lists():
    c = CChain()
    for msg in (
        t.MsgAddSanction(signer=AUTHORITY, address=STRANGER, reason="r"),
        t.MsgBlockCountry(signer=CUSTOMER, country="KP", reason="r"),
        t.MsgRestrictCategory(signer=AUTHORITY, country="US", category="guns", reason="r"),
    ):
        with pytest.raises(errors.NotAuthorized):
            c.deliver(msg)


def test_only_the_chain_authority_changes_params_and_can_name_a_new_compliance_authority():
    c = CChain()
    p = c.compliance.params(c.store)
    p.compliance_authority = CUSTOMER
    with pytest.raises(errors.NotAuthorized):
        c.deliver(t.MsgUpdateParams(authority=OFFICER, params=p))
    c.deliver(t.MsgUpdateParams(authority=AUTHORITY, params=p))
    assert c.typed(cev.ParamsUpdated)[0].params.compliance_authority == CUSTOMER
    c.deliver(t.MsgBlockCountry(signer=CUSTOMER, country="KP", reason="r"))
    with pytest.raises(errors.NotAuthorized):
        c.deliver(t.MsgBlockCountry(signer=OFFICER, country="IR", reason="r"))


@pytest.mark.parametrize("fraud, field", [
    ({"velocity": {"bucket_seconds": "0", "window_seconds": "60"}}, "bucket_seconds"),
    ({"velocity": {"bucket_seconds": "7", "window_seconds": "60"}}, "multiple"),
    ({"velocity": {"bucket_seconds": "1", "window_seconds": "65"}}, "64 buckets"),
    ({"mismatch": {"weight_bps": 10001}}, "weight_bps"),
    ({"hold_threshold_bps": 10001}, "hold_threshold_bps"),
])
def test_invalid_params(fraud, field):
    c = CChain()
    with pytest.raises(errors.InvalidParams, match=field):
        c.fraud_params(**fraud)


def test_sanction_add_remove_duplicates_and_validation():
    c = CChain()
    with pytest.raises(InvalidAddress):
        c.deliver(t.MsgAddSanction(signer=OFFICER, address="nope", reason="r"))
    with pytest.raises(errors.MissingReason):
        c.deliver(t.MsgAddSanction(signer=OFFICER, address=STRANGER, reason=""))
    with pytest.raises(errors.FieldTooLong):
        c.deliver(t.MsgAddSanction(signer=OFFICER, address=STRANGER, reason="r",
                                   list_source="x" * 129))
    c.sanction(STRANGER)
    with pytest.raises(errors.AlreadySanctioned):
        c.sanction(STRANGER)
    c.unsanction(STRANGER)
    with pytest.raises(errors.NotSanctioned):
        c.unsanction(STRANGER)


def test_countries_and_categories_add_remove_with_events():
    c = CChain()
    with pytest.raises(errors.InvalidCountry):
        c.deliver(t.MsgBlockCountry(signer=OFFICER, country="kp", reason="r"))
    c.deliver(t.MsgBlockCountry(signer=OFFICER, country="KP", reason="embargo"))
    assert c.typed(cev.CountryBlocked)[0].entry.reason == "embargo"
    with pytest.raises(errors.AlreadyBlocked):
        c.deliver(t.MsgBlockCountry(signer=OFFICER, country="KP", reason="again"))
    c.deliver(t.MsgUnblockCountry(signer=OFFICER, country="KP", reason="lifted"))
    assert c.typed(cev.CountryUnblocked)[0].country == "KP"
    with pytest.raises(errors.NotBlocked):
        c.deliver(t.MsgUnblockCountry(signer=OFFICER, country="KP", reason="lifted"))
    with pytest.raises(errors.InvalidCategory):
        c.deliver(t.MsgRestrictCategory(signer=OFFICER, country="US", category="Guns", reason="r"))
    with pytest.raises(errors.InvalidCountry):
        c.deliver(t.MsgRestrictCategory(signer=OFFICER, country="US", region="ca",
                                        category="guns", reason="r"))
    c.deliver(t.MsgRestrictCategory(signer=OFFICER, country="US", region="CA", category="guns",
                                    reason="r"))
    assert c.typed(cev.CategoryRestricted)[0].entry.region == "CA"
    c.deliver(t.MsgUnrestrictCategory(signer=OFFICER, country="US", region="CA",
                                      category="guns", reason="r"))
    with pytest.raises(errors.NotBlocked):
        c.deliver(t.MsgUnrestrictCategory(signer=OFFICER, country="US", region="CA",
                                          category="guns", reason="r"))


def query(c: CChain, name: str, req):
    route = next(r for r in c.cmodule.queries if r.path.endswith("/" + name))
    return route.handler(c.ctx(), req)


def test_queries_list_everything():
    c = CChain()
    for addr in (STRANGER, CUSTOMER):
        c.sanction(addr)
    c.deliver(t.MsgBlockCountry(signer=OFFICER, country="KP", reason="r"))
    c.deliver(t.MsgRestrictCategory(signer=OFFICER, country="US", category="guns", reason="r"))
    c.deliver(t.MsgSetAccountLimit(signer=OFFICER, address=CUSTOMER, denom="uusdc", daily=5))
    page = query(c, "Sanctions", q.QuerySanctionsRequest(limit=1))
    assert len(page.sanctions) == 1 and page.next
    rest = query(c, "Sanctions", q.QuerySanctionsRequest(start_after=page.next))
    assert len(rest.sanctions) == 1 and not rest.next
    assert {s.address for s in [*page.sanctions, *rest.sanctions]} == {STRANGER, CUSTOMER}
    assert query(c, "Sanction", q.QuerySanctionRequest(address=STRANGER)).sanction.reason
    with pytest.raises(errors.NotSanctioned):
        query(c, "Sanction", q.QuerySanctionRequest(address=OFFICER))
    assert [x.country for x in query(c, "BlockedCountries",
                                     q.QueryBlockedCountriesRequest()).countries] == ["KP"]
    cats = query(c, "RestrictedCategories", q.QueryRestrictedCategoriesRequest(country="US"))
    assert [x.category for x in cats.categories] == ["guns"]
    limits = query(c, "AccountLimits", q.QueryAccountLimitsRequest(address=CUSTOMER)).limits
    assert [(x.denom, x.daily) for x in limits] == [("uusdc", 5)]
    risk = query(c, "CustomerRisk", q.QueryCustomerRiskRequest(customer=STRANGER))
    assert not risk.buckets and not risk.HasField("profile")


@pytest.mark.parametrize(
    ("name", "req", "error"),
    [
        ("Sanction", q.QuerySanctionRequest(address="nope"), InvalidAddress),
        ("AccountLimits", q.QueryAccountLimitsRequest(address=CUSTOMER.upper()), InvalidAddress),
        ("CustomerRisk", q.QueryCustomerRiskRequest(customer=""), InvalidAddress),
        ("Sanctions", q.QuerySanctionsRequest(limit=501), InvalidPagination),
        ("Sanctions", q.QuerySanctionsRequest(start_after="s" * 256), InvalidPagination),
        ("RestrictedCategories", q.QueryRestrictedCategoriesRequest(country="USA"),
         errors.InvalidCountry),
        ("Volume", q.QueryVolumeRequest(address=CUSTOMER, denom=""), InvalidCoins),
        ("Volume", q.QueryVolumeRequest(address=CUSTOMER, denom="u" * 129), InvalidCoins),
    ],
)
def test_a_bad_query_field_is_the_error_a_client_acts_on(name, req, error):
    with pytest.raises(error) as raised:
        query(CChain(), name, req)
    assert type(raised.value) is error
