"""Command line: `anshin run|chat|validate|graph|test-flows|explain`."""

def main() -> int:
    return 0
