"""Rapport's rules, free of Slack listeners: one package per domain, with platform/ the spine they share."""
