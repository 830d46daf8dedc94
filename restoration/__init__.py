"""Credit restoration applications and their effects.

Registered now so the layout is fixed; the models arrive with the issue that builds them.
"""
