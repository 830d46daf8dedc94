"""The public credit evaluation and graded supervision, interim (2019 No. 35, arts. 6-7).

Versioned evaluation models with indicators, weights and grade bands; set-based, chunked rating
runs (nightly full runs and changed runs, resumable after a killed worker) with a per-indicator
explanation of every rating; supervision tiers by grade; double-random spot-check plans whose draw
is recorded and can be re-run. A finished run is announced to subscribers. Its place in the layers
and its jobs: docs/architecture.md; the measured run times: bench/README.md.
"""
