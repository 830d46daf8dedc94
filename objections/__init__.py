"""Objections, appeals and tip-offs.

Registered now so the layout is fixed; the models arrive with the issue that builds them.
"""
