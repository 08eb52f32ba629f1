"""What people see at a glance: the managers' morning digest, App Home and the 360° view of an account."""
