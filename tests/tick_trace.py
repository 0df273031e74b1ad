"""A sink that notes every tick, for tests and benches that compare the output with a time source."""


class Trace:
    """A sink that notes, per tick, the deadline, the transport's state and where the playhead is
    (``player`` is set once the player exists: the sink is made before it)."""

    def __init__(self):
        self.player, self.rows = None, []

    def send(self, frame, deadline_s, show_s):
        transport = self.player.transport
        self.rows.append((deadline_s, transport.state, transport.position_s(deadline_s), show_s))

    def close(self):
        pass
