"""The offline sandbox: the real Rapport against a local stand-in for Slack (stand_in/), in a terminal.
World runs the whole app for tests, benchmarks and the sandbox; commands.py and parsing.py are what you type."""
