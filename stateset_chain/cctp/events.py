"""The cctp module's typed events.

They are declared in proto/stateset/cctp/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.cctp.v1.events_pb2 import (
    AttesterDisabled,
    AttesterEnabled,
    AttesterManagerUpdated,
    BurningAndMintingPausedEvent,
    BurningAndMintingUnpausedEvent,
    DepositForBurn,
    MaxMessageBodySizeUpdated,
    MessageReceived,
    MessageSent,
    MintAndWithdraw,
    MintRecipientBlockedParked,
    OwnershipTransferStarted,
    OwnerUpdated,
    PauserUpdated,
    RemoteTokenMessengerAdded,
    RemoteTokenMessengerRemoved,
    SendingAndReceivingPausedEvent,
    SendingAndReceivingUnpausedEvent,
    SetBurnLimitPerMessage,
    SignatureThresholdUpdated,
    TokenControllerUpdated,
    TokenPairLinked,
    TokenPairUnlinked,
)

ALL = (
    DepositForBurn,
    MintAndWithdraw,
    MintRecipientBlockedParked,
    MessageSent,
    MessageReceived,
    OwnershipTransferStarted,
    OwnerUpdated,
    AttesterManagerUpdated,
    TokenControllerUpdated,
    PauserUpdated,
    AttesterEnabled,
    AttesterDisabled,
    SignatureThresholdUpdated,
    TokenPairLinked,
    TokenPairUnlinked,
    SetBurnLimitPerMessage,
    RemoteTokenMessengerAdded,
    RemoteTokenMessengerRemoved,
    MaxMessageBodySizeUpdated,
    BurningAndMintingPausedEvent,
    BurningAndMintingUnpausedEvent,
    SendingAndReceivingPausedEvent,
    SendingAndReceivingUnpausedEvent,
)
