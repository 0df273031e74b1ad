"""The edge: files, sockets, clocks, threads, HTTP, SQLite, pygame live only here."""
