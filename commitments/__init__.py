"""Credit commitments, licensing items, integrity education and voluntary registration
(issue 4, ex ante; 2019 No. 35, arts. 1-2 and 5; 2016 No. 33, art. 4).

Built so far: licensing items, versioned templates, commitments with their numbers, missing
materials and fulfilment (models, transitions, services). Still to come: the nightly deadline
job and breach records, integrity education, voluntary registration, workbench, public pages
and API.
"""
