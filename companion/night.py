"""When a night ends. Imported by ``companion nudge`` at every shell prompt, so nothing else is
here: the rule itself (``entry.when_logged``) lives with the entry."""

# Until this hour the night is not over yet: it belongs to the day it began.
NIGHT_ENDS = 5
