"""The offline sandbox: the real Rapport against a local stand-in for Slack, in a terminal (tests use the
same stand-in)."""
