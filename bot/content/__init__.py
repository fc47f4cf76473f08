"""Content: the flow language an admin writes under flows/, its model, reader and checks."""
