"""Rhythm tables and queries: agreements and report deadlines, meetings, action items."""
