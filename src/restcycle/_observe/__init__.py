"""Observability: the cycle tracer, Server-Timing, "why was this refused", and
`manage.py explain`."""
