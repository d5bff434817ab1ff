"""practice-inbox application layer: configuration, errors, daemon and command line."""
