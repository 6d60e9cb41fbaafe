"""The SQLite store: append-only migrations, and the writer that stores whole articles."""
