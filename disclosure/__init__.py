"""The public face: publicity clock, timeliness statistics, reports, sharing API.

Registered now so the layout is fixed; the models arrive with the issue that builds them.
"""
