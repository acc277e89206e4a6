"""File imports: parse and validate everything first (pure), then write in one transaction."""
