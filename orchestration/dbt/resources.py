"""The dbt resource: dagster-dbt's ``DbtCliResource``, with dbt run in this process (dbtRunner) on a
manifest parsed once, instead of a ``dbt`` subprocess that imports dbt and parses the project again.

Imported when the dbt asset runs, not when the definitions load (dagster-dbt and dbt take seconds).

In process, three of dbt's functions are replaced by ones that give the same results for less (issue #18:
:func:`_shortcuts`): the behaviour flags' source, the compiled code of the texts dbt renders, the debug events
nothing reads; tests/orchestration/test_dbt_step_costs.py compares each with dbt's own.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import dagster_dbt.core.resource as _dagster_dbt_resource
from dagster_dbt import DbtCliResource
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from packaging import version

# the dbt environment variables dagster-dbt sets for its subprocess that change what dbt does in process
_DBT_ENV_PREFIXES = ("DBT_",)


class _Finished:
    """Stands in for the ``subprocess.Popen`` dagster-dbt's invocation keeps (its args, its exit code)."""

    def __init__(self, args: Sequence[str]) -> None:
        self.args = list(args)
        self.returncode: int | None = None
        self.stdout = None

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode if self.returncode is not None else 1

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, _signum: int) -> None:  # dbt runs in this process: a stop unwinds it
        return None


# the parsed project, kept for the life of the process (``provreport watch`` parses once): its key is what
# the parse read (project files, profile, target, the warehouse path dbt names the catalog after)
_MANIFEST: dict[str, Any] = {}


# what a parse reads besides the project's files: the warehouse path dbt names the catalog after, the target,
# the server's parts and the provinces the models read with env_var(), dbt's own settings
_PARSE_ENV = ("DUCKDB_PATH", "PROVREPORT_DBT_TARGET", "PROVREPORT_PG_", "PROVREPORT_PROVINCES", "DBT_")
_PER_INVOCATION = ("DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_LOG_LEVEL", "DBT_LOG_FORMAT", "DBT_INDIRECT_SELECTION")
KEY_FILE = "partial_parse.key"


def _manifest_key(parse_args: Sequence[str]) -> str:
    import hashlib

    from orchestration.dbt.fingerprint import project_fingerprint
    from orchestration.settings import DBT_PROJECT_DIR

    env = sorted((k, v) for k, v in os.environ.items() if k.startswith(_PARSE_ENV) and k not in _PER_INVOCATION)
    profiles = (DBT_PROJECT_DIR / "profiles.yml").read_bytes() if (DBT_PROJECT_DIR / "profiles.yml").exists() else b""
    text = repr((list(parse_args), env, project_fingerprint(), profiles, installed_version("dbt-core")))
    return hashlib.sha256(text.encode()).hexdigest()


def _decoded(data: bytes):
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    return Manifest.from_msgpack(data, decoder=extended_mashumuro_decoder)


def _prepared_manifest(target: Path, key: str):
    """The manifest a parse with the same key left in ``target`` (its partial-parse file, put there from
    the warehouse's last build), read without dbt's parse: no project file is read or compared, the key
    says they are the ones it was parsed from. None when there is none or it was made from other inputs.
    Decoded beforehand by :func:`prefetch` when it read the same bytes."""
    kept, key_file = target / "partial_parse.msgpack", target / KEY_FILE
    early = _prefetched()
    try:
        if key_file.read_text() != key:
            return None
        data = kept.read_bytes()
        return early["manifest"] if early.get("data") == data else _decoded(data)
    except Exception:  # none, unreadable, or from another dbt: the parse makes one
        return None


# A new process's first dbt command spends ~0.8 s before its first node (issue #18): the import of dbt's CLI, the
# decode of the kept manifest (~0.3 s) and the JSON schemas dbt builds from its dataclasses to validate the
# project and the profile (~0.3 s, each kept by dbt for the process). prefetch does them in a thread while the
# ingest waits for its reader process to start (read_partition: ~0.6 s of waiting in a new process); the
# dbt step takes the result (and waits for the thread if it is not done).
_PREFETCH: dict[str, Any] = {}
# the classes dbt validates the project, its flags, packages, selectors and the profile against
_VALIDATED = (("dbt.contracts.project", ("Project", "ProjectFlags", "PackageConfig", "ProfileConfig",
                                         "Configuration")),
              ("dbt.contracts.selection", ("SelectorFile",)),
              ("dbt.adapters.duckdb.credentials", ("DuckDBCredentials",)))


def warm_schemas() -> None:
    """Build the JSON schemas dbt validates the project and the profile against (``_VALIDATED``), which dbt keeps
    for the process (and a process forked from this one)."""
    import importlib

    for module, names in _VALIDATED:
        found = importlib.import_module(module)
        for name in names:
            getattr(found, name).json_schema()


def prefetch(run_dir: Path) -> bool:
    """Start the thread that prepares this process's first dbt command on the warehouse whose dbt folder is
    ``run_dir`` (orchestration.dbt.assets.dbt_run_dir): nothing when a manifest is kept already (a later
    run of ``provreport watch``), when none was kept beside the warehouse, or when started once. Whether
    it started."""
    kept = run_dir / "partial_parse.msgpack"
    if _MANIFEST or _PREFETCH or not kept.exists():
        return False

    def work() -> None:
        early: dict[str, Any] = {}
        try:
            import dbt.cli.main  # noqa: F401  (the import the dbt step would do first)

            data = kept.read_bytes()
            early.update(data=data, manifest=_decoded(data))
            warm_schemas()
        except Exception:  # nothing is lost: the dbt step does what is missing
            pass
        finally:
            _PREFETCH["result"] = early

    thread = threading.Thread(target=work, name="dbt-prefetch", daemon=True)
    _PREFETCH["thread"] = thread
    thread.start()
    return True


def _prefetched() -> dict[str, Any]:
    """What :func:`prefetch` prepared (empty: nothing), once: the thread is waited for."""
    thread = _PREFETCH.get("thread")
    if thread is None:
        return {}
    thread.join()
    return _PREFETCH.pop("result", {})


_FLAGS_MODULE = "dbt_common.behavior_flags"


def _flag_source() -> str:
    """``BehaviorFlagRendered._default_source`` (dbt_common.behavior_flags) without ``inspect.stack()`` where it
    can: the name of the first module on the call stack other than dbt_common.behavior_flags, which dbt names in
    its behaviour-change events. dbt makes the adapter anew for each command, and each of its flags without a
    ``source`` reads the source lines of the whole stack (``inspect.stack``): 40-60 ms a command. A frame that is
    not plainly its module's (code made by exec, a module without a file) sends it to dbt's own way, over the same
    stack. tests/orchestration/test_dbt_step_costs.py compares both, with dbt-common's version pinned."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if getattr(sys.modules.get(name or ""), "__file__", None) != frame.f_code.co_filename:
            break
        if name != _FLAGS_MODULE:
            return name
        frame = frame.f_back
    else:
        return "Unknown"
    import inspect

    for caller in inspect.getouterframes(sys._getframe(1)):  # inspect.stack() from the caller on
        if (module := inspect.getmodule(caller[0])) and module.__name__ != _FLAGS_MODULE:
            return module.__name__
    return "Unknown"


# the Python code Jinja compiled from each text dbt rendered (a node's SQL, a hook, a config), by environment
# kind: dbt.clients.jinja.get_rendered compiles its text anew at every call (~110 a one-report build, the same
# texts each build), where dbt keeps the template of each macro for the process already
_TEMPLATE_CODE: dict[tuple[bool, str], Any] = {}
_TEMPLATE_CODE_LIMIT = 4096  # distinct texts kept (a project's are a few hundred); beyond, the cache starts again


def _template(string: str, ctx: dict[str, Any], node: Any = None, capture_macros: bool = False,
              native: bool = False):
    """``dbt_common.clients.jinja.get_template`` (the template of ``string`` with ``ctx`` as its globals), with
    Jinja's compilation of the text kept for the process: the template is made from the kept code as
    ``jinja2.Environment.from_string`` makes it from the code it compiles (an environment of the same kind:
    dbt makes one per call, with the same extensions and filters). Texts rendered to capture macros (their
    environment's undefined names depend on the node) go to dbt's own. tests/orchestration/test_dbt_step_costs.py
    compares both on every node of the project, with Jinja's and dbt-common's versions pinned."""
    from dbt_common.clients.jinja import catch_jinja, get_environment, get_template

    if capture_macros or not isinstance(string, str):
        return get_template(string, ctx, node, capture_macros=capture_macros, native=native)
    with catch_jinja(node):
        env = get_environment(node, capture_macros, native=native)
        code = _TEMPLATE_CODE.get((native, string))
        if code is None:
            code = env.compile(string)
            if len(_TEMPLATE_CODE) >= _TEMPLATE_CODE_LIMIT:
                _TEMPLATE_CODE.clear()
            _TEMPLATE_CODE[(native, string)] = code
        return env.template_class.from_code(env, code, env.make_globals(ctx), None)


def _fire_event(self, e, level=None, node=None, force_warn_or_error_handling: bool = False) -> None:
    """``dbt_common.events.event_manager.EventManager.fire_event``, which does not make the message of a debug
    event when nothing would read it: no logger (dbt's stdout and file logs are off in process: the events reach
    the step through :meth:`InProcessDbtInvocation._stream_stdout`'s callback) and only callbacks that pass over
    debug events (that callback, and dbt's tracking of behaviour-change warnings). A build fires ~1 100 of them
    (every SQL statement, each connection), ~70 ms of CPU a one-report build; every other event, and every event
    when a logger or another callback is there, goes to dbt's own."""
    if (not self.loggers and not force_warn_or_error_handling and (level or e.level_tag()) == _DEBUG
            and all(getattr(callback, "skips_debug", False) or callback is _TRACKS_BEHAVIOR_CHANGE
                    for callback in self.callbacks)):
        return
    _DBT_OWN["fire_event"](self, e, level, node, force_warn_or_error_handling)


_DEBUG = "debug"  # dbt_common.events.base_types.EventLevel.DEBUG (a str enum)
_TRACKS_BEHAVIOR_CHANGE: Any = None  # dbt.tracking.track_behavior_change_warn, once dbt is imported


# dbt's own functions, once :func:`_shortcuts` replaced them (the tests compare both)
_DBT_OWN: dict[str, Any] = {}


def _shortcuts() -> None:
    """Put :func:`_flag_source`, :func:`_template` and :func:`_fire_event` in place of dbt's (dbt runs in this
    process), once."""
    global _TRACKS_BEHAVIOR_CHANGE
    import dbt.clients.jinja
    import dbt.tracking
    from dbt_common.behavior_flags import BehaviorFlagRendered
    from dbt_common.events.event_manager import EventManager

    own = BehaviorFlagRendered.__dict__["_default_source"]
    if own.__func__ is not _flag_source:
        _DBT_OWN["flag_source"] = own.__func__
        BehaviorFlagRendered._default_source = staticmethod(_flag_source)
    if dbt.clients.jinja.get_template is not _template:
        _DBT_OWN["get_template"] = dbt.clients.jinja.get_template
        dbt.clients.jinja.get_template = _template
    _TRACKS_BEHAVIOR_CHANGE = dbt.tracking.track_behavior_change_warn
    if EventManager.fire_event is not _fire_event:
        _DBT_OWN["fire_event"] = EventManager.fire_event
        EventManager.fire_event = _fire_event


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """dagster-dbt's subprocess environment (target and log paths, JSON logs, indirect selection) as this
    process's for the length of the invocation."""
    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith(_DBT_ENV_PREFIXES)})
    # the events reach the step through the callback: dbt's own stdout lines would be a second copy
    os.environ["DBT_LOG_LEVEL"] = "none"
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _global_and_command(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``dbt [global flags] COMMAND ...`` (the executable dropped) into the flags and the rest."""
    rest = list(args[1:])
    for i, arg in enumerate(rest):
        if not arg.startswith("-"):
            return rest[:i], rest[i:]
    return rest, []


def _close_duckdb() -> None:
    """dbt-duckdb keeps the database open in a process-wide environment: close it, so that the steps
    after dbt (validation, the publish) open the warehouse file without a second handle on it."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # the postgres target: nothing kept open between invocations
        return
    env = DuckDBConnectionManager._ENV
    if env is not None:
        with contextlib.suppress(Exception):
            env.close()
    DuckDBConnectionManager.close_all_connections()


# dbt writes manifest.json (the kept manifest again, ~1 MB: 0.4-0.7 s a build) and run_results.json after a
# command unless told not to: the manifest is the prepared one (dbt_project/target/manifest.json, which
# dagster-dbt loads the assets from), so only the run results are written, by _write_run_results
_WITHOUT_MANIFEST_JSON = ("--no-write-json",)
RUN_RESULTS_FILE = "run_results.json"


def _write_run_results(result: Any, target: Path) -> None:
    """The command's run_results.json in its target folder, as dbt writes it (build, run, test, seed)."""
    if hasattr(result, "write"):
        result.write(str(target / RUN_RESULTS_FILE))


class InProcessDbtInvocation(DbtCliInvocation):
    """A dbt command run by ``dbtRunner`` in a thread of this process; its structured events are turned
    into Dagster's by dagster-dbt as it does for the subprocess's JSON log lines.

    The first command of a process parses the project (partial parse from the warehouse's kept
    ``partial_parse.msgpack``); later ones with the same project, profile and warehouse reuse that
    manifest (no parse at all)."""

    _env: dict[str, str]
    _dbt_args: list[str]

    @classmethod
    def run(cls, args, env, manifest, dagster_dbt_translator, project_dir, target_path, raise_on_error,
            context, adapter, cli_version, dbt_project=None):
        invocation = cls(process=_Finished(args), manifest=manifest, project=dbt_project,
                         dagster_dbt_translator=dagster_dbt_translator, project_dir=project_dir,
                         target_path=target_path, raise_on_error=raise_on_error, context=context,
                         adapter=None, cli_version=cli_version)
        invocation._env = dict(env)
        invocation._dbt_args = list(args)
        return invocation

    def _parsed(self, flags: list[str], command: list[str]):
        """The manifest for ``command``: kept from an earlier command of this process, or parsed now."""
        from dbt.cli.main import dbtRunner

        # the arguments that decide the parse: profile and target, vars; not the selection
        keep = {"--target", "--profile", "--vars", "--profiles-dir", "--project-dir"}
        parse_args = [a for i, a in enumerate(command[1:]) if a in keep or command[i] in keep]
        key = _manifest_key([*flags, *parse_args])
        if _MANIFEST.get("key") == key:
            return _MANIFEST["manifest"]
        target = Path(self.target_path)
        manifest = _prepared_manifest(target, key)
        if manifest is None:
            (target / KEY_FILE).unlink(missing_ok=True)
            started = time.time() - 1
            result = dbtRunner().invoke([*flags, "parse", "--no-write-json", *parse_args])
            if not result.success or result.result is None:
                return None  # the build parses by itself and says what is wrong
            manifest = result.result
            written = target / "partial_parse.msgpack"
            if written.exists() and written.stat().st_mtime >= started:  # this parse's own: its key beside it
                (target / KEY_FILE).write_text(key)
        _MANIFEST.update(key=key, manifest=manifest)
        return manifest

    def _stream_stdout(self) -> Iterator[str | dict[str, Any]]:
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_dict

        events: queue.Queue = queue.Queue()
        done = object()
        outcome: dict[str, Any] = {}

        def callback(msg) -> None:
            # what dbt's stdout carried to dagster-dbt from a subprocess: its info level and above (results,
            # "n of m" lines, warnings, errors); the debug events (every SQL statement, each connection) are not
            # even made while nothing else reads them (_fire_event)
            if msg.info.level != "debug":
                events.put(msg_to_dict(msg))

        callback.skips_debug = True  # (_fire_event)

        def work() -> None:
            try:
                _shortcuts()
                with _environment(self._env):
                    flags, command = _global_and_command(self._dbt_args)
                    manifest = self._parsed(flags, command)
                    runner = dbtRunner(manifest=manifest, callbacks=[callback])
                    result = runner.invoke([*flags, *_WITHOUT_MANIFEST_JSON, *command])
                _write_run_results(result.result, Path(self.target_path))
                outcome["success"], outcome["exception"] = result.success, result.exception
            except BaseException as exc:  # said by the step, in the main thread
                outcome["success"], outcome["exception"] = False, exc
            finally:
                _close_duckdb()
                events.put(done)

        thread = threading.Thread(target=work, name="dbt", daemon=True)
        thread.start()
        while True:
            try:
                item = events.get(timeout=0.2)
            except queue.Empty:
                continue
            if item is done:
                break
            if item.get("info", {}).get("level") == "error":
                self._error_messages.append(item["info"].get("msg", ""))
            yield item
        thread.join()
        self.process.returncode = 0 if outcome.get("success") else 1
        exc = outcome.get("exception")
        if exc is not None:
            if isinstance(exc, KeyboardInterrupt):
                raise exc
            self._error_messages.append(f"{type(exc).__name__}: {exc}")

    def is_successful(self) -> bool:
        if self.process.returncode is None:
            self._stdout = list(self._stream_stdout())
        return self.process.returncode == 0 and not self._error_messages

    @property
    def dbt_command(self) -> str:
        return " ".join(["dbt (in process)", *self.process.args[1:]])


class ProvreportDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that runs dbt in this process.

    - No ``dbt`` subprocess: dbt is already imported here (dagster-dbt imports it), so a subprocess only
      repeats Python's start-up, dbt's imports and the parse (seconds per build).
    - Its dbt version comes from the installed dbt-core package, not from ``dbt --version`` (3 s and a
      lookup on the package index; this project pins dbt-core).
    - No second adapter for column metadata (dagster-dbt opens one in process for it; nothing here asks
      for column metadata, and a second handle on the DuckDB file would conflict with dbt's).

    ``_cli_version``, ``_initialize_dbt_core_adapter`` and the module's ``DbtCliInvocation`` are not public
    API: tests/orchestration/test_dbt_assets.py fails if dagster-dbt stops using them.

    ``in_process=False`` runs dbt as dagster-dbt does, in a ``dbt`` subprocess (``Settings.dbt_in_process``:
    to compare with, or to fall back on).
    """

    in_process: bool = True

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]):
        return None

    def cli(self, args: Sequence[str], **kwargs) -> DbtCliInvocation:
        if not self.in_process:
            return super().cli(args, **kwargs)
        original = _dagster_dbt_resource.DbtCliInvocation
        _dagster_dbt_resource.DbtCliInvocation = InProcessDbtInvocation
        try:
            return super().cli(args, **kwargs)
        finally:
            _dagster_dbt_resource.DbtCliInvocation = original


def reset_kept_manifest() -> None:
    _MANIFEST.clear()
    _prefetched()
    _PREFETCH.clear()

