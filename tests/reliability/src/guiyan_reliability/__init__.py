"""`make reliability`: fault scenarios on the whole system during a burst, and the invariants
checked after each. `run.py` says what each column of its table means."""
