"""The pure timing core: numpy only, no I/O, no clocks."""
