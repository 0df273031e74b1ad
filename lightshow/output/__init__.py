"""Output sockets: Art-Net and sACN senders, node discovery, pacing, UDP listening."""
