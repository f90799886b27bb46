"""``python -m localnet start|stop|reset|status|logs``: see ``localnet.supervisor``."""

import sys

from localnet.supervisor import main

sys.exit(main())
