"""`feed`: an Atom feed of the change events."""

from outputs.writers import Request, Writer, Written


class AtomFeed(Writer):
    command, format, default = "feed", "atom", True
    summary = "Atom (RFC 4287), newest entry first, one entry per event with a stable id"

    def write(self, request: Request) -> Written:
        from outputs.feed import render_feed

        return Written(render_feed(request.history, request.generated_at, request.limit))
