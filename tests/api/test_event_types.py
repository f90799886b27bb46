"""The event types an endpoint may subscribe to are exactly those the indexer writes."""

import re
from pathlib import Path

from stateset_chain.indexer import views
from stateset_chain.webhooks.endpoints import EVENT_TYPES


def test_subscribable_types_are_the_indexers_outbox_types():
    source = Path(views.__file__).read_text()
    written = set(re.findall(r'self\._outbox\(ev, "([a-z_.]+)"', source))
    assert written and written == set(EVENT_TYPES)
