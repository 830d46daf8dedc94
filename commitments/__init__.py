"""Credit commitments, licensing items, integrity education and voluntary registration
(issue: ex ante).

Registered now so the layout is fixed; the models arrive with the issue that builds them.
"""
