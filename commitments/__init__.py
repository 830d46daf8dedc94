"""Credit commitments, licensing items, integrity education and voluntary registration
(issue 4, ex ante; 2019 No. 35, arts. 1-2 and 5; 2016 No. 33, art. 4).

Built so far (models, transitions, services, selectors, the nightly task): licensing items,
versioned templates, numbered commitments, missing materials and fulfilment, breaches with
their negative credit record, integrity education sessions and attendance, voluntary
registration and its verification. Still to come: notifying departments of breaches and their
workbench queues, the public pages, the API, and the browser test.
"""
