"""One module per message, each with ``MSG`` (the proto class), ``signers(msg)``,
``validate(msg)`` (stateless) and ``handle(keeper, ctx, msg)`` (load, guard, change, emit).
``ALL`` lists them in the order of the Msg service."""

from __future__ import annotations

from stateset_chain.compliance.msgs import (
    add_sanction,
    block_country,
    remove_sanction,
    restrict_category,
    set_account_limit,
    unblock_country,
    unrestrict_category,
    update_params,
)

ALL = (
    update_params,
    add_sanction,
    remove_sanction,
    block_country,
    unblock_country,
    restrict_category,
    unrestrict_category,
    set_account_limit,
)
