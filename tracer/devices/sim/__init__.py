"""Device simulators: pseudo-terminals that talk like real readers, for tests and demos."""
