"""Imported once by the server a parallel run's step processes are forked from (orchestration.step_server), after
the definitions: what the validation and dbt steps would each pay at their start in a new process, paid once in
the server while the run's own process prepares the run, and shared by every step forked from it.

- Great Expectations, imported as the validation imports it (expectations.validate.import_great_expectations:
  ~1.6 s on top of the definitions).
- The JSON schemas dbt validates the project and the profile against (orchestration.dbt.resources.warm_schemas).

Nothing here reads the settings, opens a file of the warehouse or starts a thread: the server forks from it."""

from expectations.validate import import_great_expectations
from orchestration.dbt.resources import warm_schemas

import_great_expectations()
warm_schemas()
