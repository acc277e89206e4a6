"""Everything that writes data into the store: shipped files, imports' table reader, the live refresh."""
