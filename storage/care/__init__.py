"""Customer care tables and queries: complaints, surveys, praise, contacts."""
