"""What people see at a glance: the managers' morning digest and App Home."""
