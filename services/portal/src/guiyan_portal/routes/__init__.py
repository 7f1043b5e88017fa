"""The portal's routes, one module per resource. Each route checks the caller's role (and a
park manager's parks) before it asks a service anything, and asks only within the caller's city."""
