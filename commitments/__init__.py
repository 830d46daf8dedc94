"""Credit commitments, licensing items, integrity education and voluntary registration
(issue 4, ex ante; 2019 No. 35, arts. 1-2 and 5; 2016 No. 33, art. 4).

Built so far: licensing items, versioned templates, commitments with their numbers, missing
materials, fulfilment (models, transitions, services, selectors), and the nightly deadline job
that turns a missed deadline into a breach with its negative credit record. Still to come:
integrity education, voluntary registration, department notification and queues, the
workbench, the public pages and the API.
"""
