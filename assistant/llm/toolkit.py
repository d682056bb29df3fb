"""The assistant's tools as llama-index FunctionTools that validate arguments and record what they return.

The same callables the built-in agent uses (search, find_facts, get_table, calculator) are wrapped,
never re-implemented. Each call's arguments are validated against the tool's own signature; the
result is logged in the turn's `TurnEvidence` and returned to the model as fenced document data.
Bad arguments become a clear error message for the model (and are counted), not an exception.
"""
from __future__ import annotations

import asyncio
import dataclasses
import inspect
import threading
from typing import Any, Callable, Mapping

from llama_index.core.tools import FunctionTool
from llama_index.core.tools.utils import create_schema_from_function
from pydantic import BaseModel, ValidationError

from assistant.llm.evidence import TurnEvidence

TOOL_NAMES = ("search", "find_facts", "get_table", "calculator")
MAX_ERROR_CHARS = 400

_DESCRIPTIONS = {
    "search": "检索文件片段（表格行、表格、正文段落）。Search document passages.",
    "find_facts": "按机构/年度/类型/表/行/列查找数字事实。Find figures (facts) by org/year/kind/table/row/column.",
    "get_table": "按 table_id 取整张表。Get a whole table by its table_id.",
    "calculator": "精确计算算式，所有算术都必须用它。Exact arithmetic; use it for ANY arithmetic.",
}


class ToolArgumentError(ValueError):
    pass


def available_tools(tools: Any) -> dict[str, Callable]:
    """The known tools offered by `tools` (an object with methods, a module, or a name → callable map)."""
    found = {}
    for name in TOOL_NAMES:
        fn = tools.get(name) if isinstance(tools, Mapping) else getattr(tools, name, None)
        if callable(fn):
            found[name] = fn
    return found


def _schema(name: str, fn: Callable) -> type[BaseModel]:
    try:
        return create_schema_from_function(name, fn)
    except Exception:   # exotic annotations: fall back to an untyped schema of the parameter names
        params = [(p.name, Any, None if p.default is inspect.Parameter.empty else p.default)
                  for p in inspect.signature(fn).parameters.values()
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]
        return create_schema_from_function(name, lambda **kw: None, additional_fields=params)


def _description(name: str, fn: Callable) -> str:
    doc = inspect.getdoc(fn) or ""
    first = doc.split("\n\n")[0].strip()
    signature = ", ".join(p for p in inspect.signature(fn).parameters if p != "self")
    return f"{name}({signature}): {_DESCRIPTIONS.get(name, '')} {first}".strip()


def _merge_filters(model_value: Any, turn_filters: Any) -> Any:
    """UI filters (org/year/kind) are defaults: they apply where the model did not choose a value."""
    if not turn_filters:
        return model_value
    if model_value in (None, {}):
        return turn_filters
    if isinstance(model_value, dict) and isinstance(turn_filters, dict):
        return {**turn_filters, **{k: v for k, v in model_value.items() if v not in (None, "")}}
    if dataclasses.is_dataclass(model_value) and isinstance(turn_filters, dict):
        names = {f.name for f in dataclasses.fields(model_value)}
        unset = {k: v for k, v in turn_filters.items() if k in names and getattr(model_value, k) in (None, "")}
        return dataclasses.replace(model_value, **unset)
    return model_value


class RecordingTool:
    """One tool: validate → call → record → fenced text. Calls are serialised (tools need not be thread-safe)."""

    def __init__(self, name: str, fn: Callable, evidence: TurnEvidence, turn_filters: Any = None,
                 lock: threading.Lock | None = None):
        self.name = name
        self.fn = fn
        self.evidence = evidence
        self.turn_filters = turn_filters
        self.schema = _schema(name, fn)
        self.lock = lock or threading.Lock()
        self.params = set(inspect.signature(fn).parameters)
        self.accepts_filters = "filters" in self.params

    def _arguments(self, raw: dict) -> dict:
        raw = {k: v for k, v in raw.items() if k in self.schema.model_fields}   # extra keys are ignored
        try:
            model = self.schema.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']}"
                                 for e in exc.errors()[:5])
            raise ToolArgumentError(problems) from None
        args = {k: getattr(model, k) for k in model.model_fields_set}
        if self.accepts_filters:
            args["filters"] = _merge_filters(args.get("filters"), self.turn_filters)
        if isinstance(self.turn_filters, dict):     # tools taking org= / year= / kind= directly
            for key, value in self.turn_filters.items():
                if key != "filters" and key in self.params and args.get(key) in (None, "") \
                        and value not in (None, ""):
                    args[key] = value
        return args

    def __call__(self, **raw: Any) -> str:
        try:
            args = self._arguments(raw)
        except ToolArgumentError as exc:
            return self._error(raw, f"invalid arguments for {self.name}: {exc}")
        try:
            with self.lock:
                result = self.fn(**args)
        except (ValueError, TypeError, KeyError, LookupError, ArithmeticError) as exc:
            return self._error(raw, f"{self.name} failed: {type(exc).__name__}: {exc}")
        if isinstance(result, dict) and set(result) <= {"error", "expression"} and result.get("error"):
            return self._error(raw, f"{self.name}: {result['error']}")     # e.g. a calculator error
        return self.evidence.record(self.name, raw, result)

    async def acall(self, **raw: Any) -> str:
        return await asyncio.to_thread(self, **raw)

    def _error(self, raw: dict, message: str) -> str:
        message = message[:MAX_ERROR_CHARS]
        self.evidence.record_error(self.name, raw, message)
        return f"ERROR: {message}\n请按工具说明修正参数后重试 / fix the arguments and try again."

    def as_function_tool(self) -> FunctionTool:
        return FunctionTool.from_defaults(fn=self.__call__, async_fn=self.acall, name=self.name,
                                          description=_description(self.name, self.fn),
                                          fn_schema=self.schema)


def build_tools(tools: Any, evidence: TurnEvidence, turn_filters: Any = None) -> list[FunctionTool]:
    lock = threading.Lock()
    return [RecordingTool(name, fn, evidence, turn_filters, lock).as_function_tool()
            for name, fn in available_tools(tools).items()]
