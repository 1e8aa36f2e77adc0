"""Imported once by the server a parallel run's step processes are forked from (orchestration.step_server), after
the definitions: what every step, or the dbt and validation steps, would otherwise pay at its start, paid once in
the server while the run's own process prepares the run, and shared by every step forked from it.

- The pipeline job, built from the definitions for the settings of the server's environment (the run's, exported
  before the server starts): each step loads it again by name (``resolved_pipeline_job``), and finds it built.
- Great Expectations, imported as the validation imports it (expectations.validate.import_great_expectations:
  ~1.6 s on top of the definitions).
- The JSON schemas dbt validates the project and the profile against (orchestration.dbt.resources.warm_schemas).

Nothing here opens a file of the warehouse or starts a thread: the server forks from it. What fails here is left to
the steps, which do it again and say what is wrong in the run (an exception here would end the server, and every
step's launch with it, with no word in the run)."""

from contextlib import suppress

with suppress(Exception):
    from orchestration.definitions import resolved_pipeline_job

    resolved_pipeline_job()
with suppress(Exception):
    from expectations.validate import import_great_expectations

    import_great_expectations()
with suppress(Exception):
    from orchestration.dbt.resources import warm_schemas

    warm_schemas()
