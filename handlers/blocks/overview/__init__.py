"""Block Kit for the overviews: the digest, App Home and the 360° view of an account."""
