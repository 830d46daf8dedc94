"""The first rating, once: the ratings app's demo step (``credit_portal.demo_steps``,
registered in ``RatingsConfig.ready``; ``manage.py demo_steps`` runs it).

Grades from the start, so the demo's pages show them: a full run in this process, without a
worker, exactly as ``manage.py rating_run --if-never`` (which it calls) does. Once any run has
finished it changes nothing; the nightly beat re-rates after that.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from credit_portal.demo_steps import Context

ORDER = 50  # last: after the commitments' and discipline's demo data, which the grades read


def demo_first_rating(context: Context) -> None:
    out = io.StringIO()
    call_command("rating_run", "--if-never", stdout=out)
    for line in out.getvalue().splitlines():
        context.write(line)
