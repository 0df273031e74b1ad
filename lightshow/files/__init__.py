"""Files on disk: compiled shows, FSEQ writing, export and inspection, fixture import."""
