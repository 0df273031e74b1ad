"""Citizen artwork rules, pure: validation by content, the fair queue, mapping onto pixels.

Nothing here opens a file or a socket: bytes and arrays in, values and arrays
out (``lightshow.queue.content_store`` keeps them, ``content_web`` serves them).
"""
