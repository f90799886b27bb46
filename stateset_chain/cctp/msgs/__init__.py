"""One file per message (or per small family of admin messages), each reading
validate -> load -> guard -> change -> emit. ``routes(keeper)`` in each file lists its
``MsgRoute``s; ``module.py`` gathers them. Every message is signed by its ``signer`` field."""
