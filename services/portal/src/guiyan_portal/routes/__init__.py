"""The portal's routes, one module per resource. A route names its access rules (from
`access.py`) among its parameters and checks nothing itself; each asks only within the caller's
city."""
