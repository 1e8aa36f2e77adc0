"""What the in-process dbt step does instead of dbt's slower ways, compared with dbt's own (issue #18 point 3):
the behaviour flags' source without ``inspect.stack()``, and the macros a build compiled, compiled beforehand by
the next process."""

from __future__ import annotations

import inspect
import json
import os
from importlib.metadata import version as installed_version
from pathlib import Path
from types import SimpleNamespace

import pytest
from dbt.adapters.base.impl import BaseAdapter
from dbt.adapters.duckdb.impl import DuckDBAdapter
from dbt.adapters.postgres.impl import PostgresAdapter
from dbt_common.behavior_flags import Behavior, BehaviorFlagRendered

from orchestration.dbt import resources
from orchestration.dbt.resources import ProvreportDbtCliResource
from orchestration.settings import DBT_PROJECT_DIR, dbt_executable

# _template reproduces Environment.from_string of Jinja 3.1.6 on dbt-common 1.39.0's get_template
PINNED_JINJA = "3.1.6"
JINJA_FROM_STRING_BODY = """        gs = self.make_globals(globals)
        cls = template_class or self.template_class
        return cls.from_code(self, self.compile(source), gs, None)
"""
DBT_GET_TEMPLATE_BODY = """    with catch_jinja(node):
        env = get_environment(node, capture_macros, native=native)

        template_source = str(string)
        return env.from_string(template_source, globals=ctx)
"""
# _fire_event leaves out what dbt-common 1.39.0's EventManager.fire_event (this text's sha256) does with a debug event
# when no logger and no other callback is there
DBT_FIRE_EVENT_SHA256 = "5c04bc105a056ee9139af8e3ee025c7f506aa00303d7998fec6e019bf42450c3"
# _flag_source reproduces this function of dbt-common 1.39.0: a new dbt-common is to be compared again
PINNED_DBT_COMMON = "1.39.0"
DBT_DEFAULT_SOURCE = '''    @staticmethod
    def _default_source() -> str:
        """
        If the maintainer did not provide a source, default to the module that called this class.
        For adapters, this will likely be `dbt.adapters.<foo>.impl` for `dbt-foo`.
        """
        for frame in inspect.stack():
            if module := inspect.getmodule(frame[0]):
                if module.__name__ != __name__:
                    return module.__name__
        return "Unknown"
'''


@pytest.fixture
def dbt_own_source(monkeypatch: pytest.MonkeyPatch):
    """dbt's own _default_source, in place for the test (whether or not a dbt command of this process replaced it)."""
    own = resources._DBT_OWN.get("flag_source", BehaviorFlagRendered.__dict__["_default_source"].__func__)
    monkeypatch.setattr(BehaviorFlagRendered, "_default_source", staticmethod(own))
    return own


def test_dbt_common_is_the_version_the_flag_source_was_compared_with(dbt_own_source) -> None:
    assert installed_version("dbt-common") == PINNED_DBT_COMMON
    assert inspect.getsource(dbt_own_source) == DBT_DEFAULT_SOURCE


def _adapter_flag_sources(adapter_class: type[BaseAdapter]) -> dict[str, str]:
    """The source of each behaviour flag an adapter of ``adapter_class`` gets, as BaseAdapter.__init__ sets them."""
    from dbt.adapters.base.impl import DEFAULT_BASE_BEHAVIOR_FLAGS

    adapter = adapter_class.__new__(adapter_class)
    adapter.config = SimpleNamespace(flags={})
    adapter.behavior = list(DEFAULT_BASE_BEHAVIOR_FLAGS)  # the setter dbt's __init__ calls
    flags = [*DEFAULT_BASE_BEHAVIOR_FLAGS, *adapter._behavior_flags]
    return {flag["name"]: getattr(adapter.behavior, flag["name"])._behavior_change_event.flag_source for flag in flags}


def _made_here() -> list[str]:
    behavior = Behavior([{"name": "a", "default": False, "description": "d"},
                         {"name": "b", "default": True, "docs_url": "u", "source": "given"}], {})
    return [behavior.a._behavior_change_event.flag_source, behavior.b._behavior_change_event.flag_source]


def test_the_flag_source_is_the_one_dbt_names(dbt_own_source, monkeypatch: pytest.MonkeyPatch) -> None:
    made_by_exec: dict = {}
    exec_code = "sources = made_here()"
    expected = {cls: _adapter_flag_sources(cls) for cls in (DuckDBAdapter, PostgresAdapter)}
    expected_here = _made_here()
    exec(exec_code, {"made_here": _made_here}, made_by_exec)  # a frame of code made by exec on the stack
    expected_exec = made_by_exec.pop("sources")
    assert set(expected[DuckDBAdapter].values()) == {"dbt.adapters.base.impl"}
    assert expected[PostgresAdapter]["postgres_skip_autocommit_transaction_statements"] == "dbt.adapters.base.impl"
    assert expected_here == [__name__, "given"]

    import dbt.clients.jinja

    monkeypatch.setattr(dbt.clients.jinja, "get_template", dbt.clients.jinja.get_template)
    resources._shortcuts()
    resources._shortcuts()  # once: dbt's own is kept, not the replacement
    assert BehaviorFlagRendered.__dict__["_default_source"].__func__ is resources._flag_source
    assert resources._DBT_OWN["flag_source"] is dbt_own_source
    assert {cls: _adapter_flag_sources(cls) for cls in (DuckDBAdapter, PostgresAdapter)} == expected
    assert _made_here() == expected_here
    exec(exec_code, {"made_here": _made_here}, made_by_exec)
    assert made_by_exec.pop("sources") == expected_exec

    # a frame that is not plainly its module's (exec'd code calling Behavior itself): dbt's own way answers
    seen = []
    outer = inspect.getouterframes
    monkeypatch.setattr(inspect, "getouterframes", lambda *a: seen.append(1) or outer(*a))
    exec("from dbt_common.behavior_flags import Behavior\n"
         "source = Behavior([{'name': 'c', 'default': False, 'description': 'd'}], {}).c"
         "._behavior_change_event.flag_source", {}, made_by_exec)
    assert seen and made_by_exec["source"] == __name__  # the first frame with a module: this test's


def test_jinja_and_dbt_are_the_versions_the_template_shortcut_was_compared_with() -> None:
    import jinja2
    from dbt_common.clients.jinja import get_template

    assert installed_version("jinja2") == PINNED_JINJA
    assert inspect.getsource(jinja2.Environment.from_string).endswith(JINJA_FROM_STRING_BODY)
    assert inspect.getsource(get_template).endswith(DBT_GET_TEMPLATE_BODY)


def test_the_kept_template_code_gives_dbts_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """On every text of the project dbt renders at a build (each node's SQL, each hook), both kinds of environment:
    the template made from the kept code has the code dbt's own compiles, and renders as it does."""
    from dbt_common.clients.jinja import get_environment, get_template, render_template
    from dbt_common.exceptions import CompilationError

    monkeypatch.setattr(resources, "_TEMPLATE_CODE", {})
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    texts = {node["raw_code"] for node in manifest["nodes"].values() if node.get("raw_code")}
    texts |= {hook["sql"] for node in manifest["nodes"].values()
              for hook in node.get("config", {}).get("post-hook", []) + node.get("config", {}).get("pre-hook", [])}
    assert len(texts) > 50  # the models, the hooks, the generic tests (one text for many)
    for native in (False, True):
        for text in texts:
            ours, dbts = resources._template(text, {}, native=native), get_template(text, {}, native=native)
            assert type(ours) is type(dbts) and ours.environment is not dbts.environment
            assert ours.root_render_func.__code__ == dbts.root_render_func.__code__
            assert ours.blocks.keys() == dbts.blocks.keys()
    assert len(resources._TEMPLATE_CODE) == 2 * len(texts)

    compiled = []
    compile_ = type(get_environment()).compile
    monkeypatch.setattr(type(get_environment()), "compile", lambda self, *a, **k: compiled.append(1) or
                        compile_(self, *a, **k))
    text = "{% for i in range(n) %}{{ i * k }},{% endfor %}{{ label }}"
    made = []
    for native in (False, True):
        for ctx in ({"n": 2, "k": 3, "label": "a"}, {"n": 3, "k": 1, "label": "b"}):
            made.append((resources._template(text, dict(ctx), native=native),
                         get_template(text, dict(ctx), native=native)))
    # rendered as dbt renders (dbt.clients.jinja.render_template), after all were made: each has its own globals
    assert [render_template(ours, {}) for ours, _ in made] == [render_template(dbts, {}) for _, dbts in made]
    assert [render_template(ours, {}) for ours, _ in made] == ["0,3,a", "0,1,2,b", "0,3,a", "0,1,2,b"]
    assert len(compiled) == 2 + 4  # ours compiled the text once per kind of environment, dbt's at every call
    with pytest.raises(CompilationError):  # a text that does not compile: dbt's error
        resources._template("{% if %}", {})
    assert (False, "{% if %}") not in resources._TEMPLATE_CODE


def test_dbt_fires_events_as_when_the_shortcut_was_compared() -> None:
    import hashlib

    from dbt_common.events.event_manager import EventManager

    own = resources._DBT_OWN.get("fire_event", EventManager.fire_event)
    assert hashlib.sha256(inspect.getsource(own).encode()).hexdigest() == DBT_FIRE_EVENT_SHA256


def test_debug_events_nothing_reads_are_not_made_and_the_others_are_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same command with dbt's own fire_event and with the shortcut: the same events reach the step (all but
    their times and ids); the shortcut made no message of ~100 debug events; with a logger, it makes them all."""
    from dbt_common.events import base_types
    from dbt_common.events.event_manager import EventManager

    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    resource = ProvreportDbtCliResource(project_dir=os.fspath(DBT_PROJECT_DIR), profiles_dir=os.fspath(DBT_PROJECT_DIR),
                                        dbt_executable=dbt_executable())
    resources._shortcuts()
    monkeypatch.setattr(resources, "_shortcuts", lambda: None)  # each way as set below, not put back by a command
    own = resources._DBT_OWN["fire_event"]
    made = []
    msg_from_base_event = base_types.msg_from_base_event
    monkeypatch.setattr("dbt_common.events.event_manager.msg_from_base_event",
                        lambda e, level=None: made.append(level or e.level_tag()) or msg_from_base_event(e, level))
    seen = {}
    for way, fire in (("dbt", own), ("shortcut", resources._fire_event), ("dbt again", own)):
        monkeypatch.setattr(EventManager, "fire_event", fire)
        made.clear()
        invocation = resource.cli(["seed", "--select", "source_kinds"], target_path=tmp_path / way)
        events = [e.raw_event for e in invocation.stream_raw_events()]
        assert invocation.is_successful(), invocation._error_messages
        seen[way] = ([(e["info"]["name"], e["info"]["level"], e["info"]["msg"].split(" in ")[0]) for e in events],
                     list(made))
    names = [name for name, _, _ in seen["dbt"][0]]
    assert "LogSeedResult" in names and "EndOfRunSummary" in names
    assert seen["shortcut"][0] == seen["dbt"][0] == seen["dbt again"][0]
    # the messages made, but for the debug ones, are those of dbt's own (its second command: the first of a process
    # makes a few more, before the step's callback is there)
    assert seen["dbt again"][1].count("debug") > 50 and "debug" not in seen["shortcut"][1]
    assert [level for level in seen["dbt again"][1] if level != "debug"] == seen["shortcut"][1]

    # another reader (a logger dbt was asked for, another callback): every event made, as dbt does
    class Reader:
        def __call__(self, msg) -> None:
            pass

    manager = EventManager()
    manager.callbacks.append(Reader())
    made.clear()
    from dbt.adapters.events.types import SQLQuery

    resources._fire_event(manager, SQLQuery(conn_name="c", sql="select 1", node_info={}))
    assert made == ["debug"]

    class Logger:
        def filter(self, msg) -> bool:
            return False

    manager = EventManager()
    manager.loggers.append(Logger())
    resources._fire_event(manager, SQLQuery(conn_name="c", sql="select 1", node_info={}))
    assert made == ["debug", "debug"]
    manager.loggers.clear()  # no reader at all: not made
    resources._fire_event(manager, SQLQuery(conn_name="c", sql="select 1", node_info={}))
    assert made == ["debug", "debug"]
