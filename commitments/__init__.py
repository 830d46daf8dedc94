"""Credit commitments, licensing items, integrity education and voluntary registration, ex ante
(2019 No. 35, arts. 1-2 and 5; 2016 No. 33, art. 4).

Licensing items with versioned templates, numbered commitments with missing materials and
fulfilment, breach cases and the negative credit record they write, integrity education (free, and
never a condition of anything), voluntarily registered information and its verification; the
departments' workbench queues, the public pages and the API. Its place in the layers:
docs/architecture.md.
"""
