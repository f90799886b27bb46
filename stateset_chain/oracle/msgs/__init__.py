"""One module per message, each with ``MSG`` (the proto class), ``signers(msg)``,
``validate(msg)`` (stateless) and ``handle(keeper, ctx, msg)`` (load, guard, change, emit).
``ALL`` lists them in the order of the Msg service."""

from __future__ import annotations

from stateset_chain.oracle.msgs import override_rate, set_feeders, submit_rates, update_params

ALL = (update_params, set_feeders, submit_rates, override_rate)
