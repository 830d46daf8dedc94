"""Joint discipline, ex post (2019 No. 35, arts. 8-12; 2016 No. 33, arts. 9-15 and 19-20).

List rules and listings (joint-punishment, key-attention and red lists) proposed on basis documents,
with notice, statement of case, decision, suspension, resumption and exit; rectification orders and
reminder and warning interviews; the versioned measures list and the measure tasks that implementing
departments apply and feed back on; access bans, personal liability marks and appointment warnings,
authority notices; and the "may receive" check (``selectors.may_receive``). Writes go through
``services``, the state tables are in ``transitions``. Its place in the layers:
docs/architecture.md.
"""
