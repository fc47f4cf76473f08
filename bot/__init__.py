"""Anshin: walks a person through a worrying notice from their provider."""
