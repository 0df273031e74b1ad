"""The pygame simulator: the rig at night, lit by compiled shows or live Art-Net."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
