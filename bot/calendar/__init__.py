"""Time as a team lives it: working days and business hours (holidays, make-up days), plain-language
dates in English and Chinese, repeating rules and staged reminders."""
