"""Digest subscriptions and the read queries behind the digest and App Home."""
