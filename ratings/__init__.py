"""Evaluation models, ratings, supervision tiers and double-random spot checks (issue: interim).

Registered now so the layout is fixed; the models arrive with the issue that builds them.
"""
