"""The lexicon of the report language: every word list the grammar reads, and nothing else.

Data only; the grammar (``_grammar`` for quantities, ``_funding`` and ``_classify`` for
clauses) decides how the words combine. One module per layer, so each list has one home:

- ``quantities``: counted nouns, measure units, hedges, the words that make a number a label;
- ``funding``: programmes, capital sources, measures, funding vs indicator money cues;
- ``roles``: plan and future markers, realis openers, designation, attainment yardsticks.

Entries are lowercase NFC Vietnamese and are matched on word boundaries.
"""

from sources.extract._lexicon.funding import *  # noqa: F403
from sources.extract._lexicon.quantities import *  # noqa: F403
from sources.extract._lexicon.roles import *  # noqa: F403
