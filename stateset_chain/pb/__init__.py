"""Generated protobuf modules (proto/stateset/** compiled by scripts/gen_proto.sh).

cosmpy's generated modules import each other as top-level ``cosmos``/``tendermint`` packages;
importing ``cosmpy.protos`` puts them on sys.path. Ours import as top-level ``stateset``, so this
folder goes on sys.path the same way.
"""

import os
import sys

import cosmpy.protos  # noqa: F401  (registers cosmos.*, tendermint.* on sys.path)

_here = os.path.dirname(__file__)
if _here not in sys.path:
    sys.path.append(_here)
