"""The public face, on top of every other app (2019 No. 35, arts. 4 and 15; 2016 No. 33, art. 17).

The public site (home, name and USCC search, the entity page in the national credit report's
sections, publicity of decisions, timeliness statistics, the error report form), the publicity
clock's beat tasks and the data-sharing API's public parts. It reads the other apps through their
``selectors`` and writes none of their models. Its place in the layers: docs/architecture.md.
"""
