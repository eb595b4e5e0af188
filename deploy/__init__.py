"""The deployment layout: nginx in front of two application hosts (see deploy/stack.py)."""
