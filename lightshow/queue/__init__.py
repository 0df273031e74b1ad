"""The citizen content queue: the SQLite store, submission and moderation pages, artwork slots."""
