"""Failures of the upgrade module.

Message failures (codespace ``upgrade``; the codes are the SDK x/upgrade's where it has one)::

    ChainError
    └── UpgradeError
        ├── UpgradeInPast       2  the plan's height is not after the current block
        ├── UpgradeCompleted    3  an upgrade of that name was already applied
        ├── NoUpgradePlanned    4  MsgCancelUpgrade with no pending plan
        ├── InvalidPlan         6  bad name or info, height <= 0, a time or client state
        ├── InvalidGenesis      7
        └── InvalidSigner    1100  the signer is not the upgrade authority

Conditions that stop the node (never a tx result; raised out of FinalizeBlock, which stops the
app process and CometBFT with it, before anything of the block is committed)::

    UpgradeHalt
    ├── UpgradeNeeded       the plan's height is reached and this binary lacks its handler
    ├── BinaryTooNew        this binary has the handler of a plan whose height is not reached
    └── MigrationFailed     a handler cannot run (layout or module version it does not migrate)

``IncompatibleBinary`` (an ``app.IncompatibleState``): ``statesetd start`` refuses a database
whose last applied upgrade this binary does not know, or which waits for a plan this binary
handles but whose height is still ahead.
"""

from __future__ import annotations

from stateset_chain.app import IncompatibleState
from stateset_chain.errors import ChainError


class UpgradeError(ChainError):
    codespace = "upgrade"


class UpgradeInPast(
    UpgradeError, code=2, description="upgrade cannot be scheduled in the past"
): ...


class UpgradeCompleted(UpgradeError, code=3, description="upgrade has already been completed"): ...


class NoUpgradePlanned(UpgradeError, code=4, description="upgrade plan not found"): ...


class InvalidPlan(UpgradeError, code=6, description="invalid upgrade plan"): ...


class InvalidGenesis(UpgradeError, code=7, description="invalid upgrade genesis"): ...


class InvalidSigner(
    UpgradeError, code=1100,
    description="expected authority account as only signer for proposal message",
): ...


class UpgradeHalt(Exception):
    """The node must stop here (see the module docstring)."""


class UpgradeNeeded(UpgradeHalt):
    pass


class BinaryTooNew(UpgradeHalt):
    pass


class MigrationFailed(UpgradeHalt):
    pass


class IncompatibleBinary(IncompatibleState):
    pass
