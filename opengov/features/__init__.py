"""One package per feature (page): queries -> data (cached reads) -> figures -> charts -> exports."""
