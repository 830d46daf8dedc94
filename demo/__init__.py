"""The demo: deterministic synthetic data for the portal, the top layer, above every app.

It may import every app; no app imports it. What it holds:

* the synthetic register: ``generator.generate()`` (pure: the same arguments give the same
  market entities, persons, roles, credit records, administrative decisions and publicity
  windows; its second half is ``records.py``) from the word lists (``words.py``), regions
  (``regions.py``), departments (``departments.py``) and row types (``specs.py``); and
  ``loader.demo_seed()``, which loads them into an empty register with COPY in one
  transaction (docs/architecture.md §6: COPY ran ~140k rows/s; figures in bench/README.md);
* the demo sign-ins and the seeding sign-in (``sign_ins.py``);
* the commands ``seed_demo`` (the register, once), ``demo_users`` (the sign-ins, every start)
  and ``demo_steps`` (what the apps add, see below), which the run command calls in that order.

**Where an app's demo data lives (the rule):** in that app's own ``demo.py`` (for example
``commitments/demo.py``), registered as a step with ``credit_portal.demo_steps.register`` from
the app's ``AppConfig.ready``; not here. The steps call their app's services, which this app
must not write around, and adding an app's demo data then touches that app only. This app keeps
only what no app owns: the synthetic register, built below the services for speed, and the
sign-ins.
"""
