"""The lexicon of the report language: every word list the grammar reads, and nothing else.

Data only; the grammar (``sources.extract._grammar`` for quantities, ``_funding`` and ``_classify``
for clauses, ``sources.periods`` for time) decides how the words combine. One module per layer,
so each list has one home:

- ``quantities``: counted nouns, measure units, hedges, the words that make a number a label;
- ``funding``: programmes, capital sources, measures, funding vs indicator money cues;
- ``roles``: plan and future markers, realis openers, designation, attainment yardsticks;
- ``periods``: the words of time (frames, review and plan words, flows and levels, non-periods).

Entries are lowercase NFC Vietnamese and are matched on word boundaries.
"""

from sources.lexicon.funding import *  # noqa: F403
from sources.lexicon.periods import *  # noqa: F403
from sources.lexicon.quantities import *  # noqa: F403
from sources.lexicon.roles import *  # noqa: F403
