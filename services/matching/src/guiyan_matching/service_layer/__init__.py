PRODUCER = "matching"  # of every event matching emits, and the actor of what its planner does alone
