"""Credit restoration applications and their effects (2019 No. 35, art. 13; 2016 No. 33, art. 21).

Not built yet: the app is installed (it has no models) so that its place in the layers is fixed
(docs/architecture.md). docs/adding-an-app.md is the checklist for building it.
"""
