"""Block Kit for the digest and App Home."""
