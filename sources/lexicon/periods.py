"""Words of time: what opens a sentence's time frame, what a report reviews and what it plans,
flows and levels, and the expressions that name no period (comparison bases, labels).

Data only; lowercase NFC Vietnamese, matched on word boundaries. ``sources.periods`` decides
how they combine.
"""

from __future__ import annotations
