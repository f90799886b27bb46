"""One module per message, each with ``MSG`` (the proto class), ``signers(msg)``,
``validate(msg)`` (stateless) and ``handle(keeper, ctx, msg)`` (validate, load, guard, change
state, emit). ``ALL`` lists them in the order of the Msg service."""

from __future__ import annotations

from stateset_chain.orders.msgs import (
    batch_create,
    batch_pay,
    cancel,
    create,
    create_and_pay,
    deliver,
    dispute,
    erase_personal_data,
    fulfill,
    hold,
    pay,
    refund,
    release,
    resolve,
    return_order,
    screen,
    ship,
    update_params,
)

ALL = (
    create,
    batch_create,
    pay,
    batch_pay,
    fulfill,
    ship,
    deliver,
    cancel,
    hold,
    release,
    return_order,
    refund,
    dispute,
    resolve,
    update_params,
    erase_personal_data,
    create_and_pay,
    screen,
)
