"""Lists, listings, rectification, interviews, measures, access bans and red lists (issue: ex post).

Registered now so the layout is fixed; the models arrive with the issue that builds them.
"""
