"""Reading YAML strictly: the rules of :mod:`supplier_qual.documents` over PyYAML's composer.

Duplicate keys (both places named), nesting deeper than
:data:`~supplier_qual.limits.MAX_DEPTH`, whole numbers longer than
:data:`~supplier_qual.limits.MAX_DIGITS` digits, non-finite numbers, impossible dates,
lone surrogates and aliases that expand past :data:`~supplier_qual.limits.MAX_VALUES`
values are refused, each at its line. libyaml's parser reads the events when PyYAML
has it; PyYAML's own reads again whatever libyaml refuses, so the words of a refusal
are always PyYAML's.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from .errors import InputError, Problem
from .limits import MAX_DEPTH, MAX_DIGITS, MAX_VALUES

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _YamlRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _line(node: yaml.Node | yaml.Event) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}" if mark is not None else ""


class _Strict(yaml.composer.Composer, yaml.constructor.SafeConstructor):
    """PyYAML's composer and safe constructor, refusing what :mod:`supplier_qual.documents` refuses and collecting
    each problem; the loaders below put a parser under it."""

    problems: list[Problem]
    depth: int

    def _start(self) -> None:
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)  # type: ignore[arg-type]
        self.problems = []
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[attr-defined]
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep: not a document supplier_qual reads"
                raise _YamlRefused(Problem(message, _line(event)))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def get_single_node(self) -> yaml.Node | None:
        node: yaml.Node | None = super().get_single_node()
        if node is not None:
            _expansion(node)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    first = seen.get(key)
                except TypeError:
                    continue
                if first is not None:
                    self.problems.append(
                        Problem(
                            f'the key "{key}" is given twice ({_line(first)} and {_line(key_node)}): give it once; '
                            "the second value would silently replace the first",
                            _line(key_node),
                        )
                    )
                else:
                    seen[key] = key_node
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(node.value).replace("_", "").lstrip("+-")
        if len(text) > MAX_DIGITS:
            self.problems.append(
                Problem(f"a whole number of {len(text):,} digits: at most {MAX_DIGITS} are accepted", _line(node))
            )
            return 0
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value: float = super().construct_yaml_float(node)
        if not math.isfinite(value):
            self.problems.append(Problem(f"{node.value} is not a finite number: numbers must be finite", _line(node)))
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            self.problems.append(Problem(f'"{node.value}" is not a date ({exc})', _line(node)))
            return None

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        value: str = super().construct_yaml_str(node)
        if _LONE_SURROGATE.search(value):
            try:  # YAML writes a character beyond U+FFFF as two escapes: make them the character they spell
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                self.problems.append(
                    Problem(
                        "text with a lone surrogate escape, which is not a character: correct the text", _line(node)
                    )
                )
        return value


def _expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases make it, once expanded, larger than :data:`MAX_VALUES` values or deeper
    than :data:`MAX_DEPTH` (a few lines of aliases can stand for billions of values), or make it contain itself."""
    sizes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()

    def measure(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _YamlRefused(Problem("a YAML alias that contains itself is not accepted", _line(node)))
        open_nodes.add(key)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        count, depth = 1, 0
        for child in children:
            child_count, child_depth = measure(child)
            count, depth = count + child_count, max(depth, child_depth)
            if count > MAX_VALUES or depth >= MAX_DEPTH:
                what = (
                    f"more than {MAX_VALUES:,} values" if count > MAX_VALUES else f"more than {MAX_DEPTH} levels deep"
                )
                raise _YamlRefused(Problem(f"YAML aliases expand this document to {what}: not accepted", _line(child)))
        open_nodes.discard(key)
        sizes[key] = (count, depth + 1 if children else depth)
        return sizes[key]

    measure(root)


class _StrictLoader(_Strict, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.resolver.Resolver):
    """The strict rules over PyYAML's own scanner and parser: the reference, and the words of every refusal."""

    def __init__(self, stream: bytes) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        self._start()


_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)
"""libyaml's scanner and parser, when PyYAML was built with it: several times faster than the pure-Python ones."""


class _FastStrictLoader(_Strict, *((_CParser,) if _CParser else ()), yaml.resolver.Resolver):  # type: ignore[misc]
    """The strict rules over libyaml's parser. Python's composer comes before it, so that its
    ``compose_node`` (and the depth check) runs: only the events come from C."""

    def __init__(self, stream: bytes) -> None:
        _CParser.__init__(self, stream)
        self._start()


_LOADERS: tuple[type[Any], ...] = (_FastStrictLoader, _StrictLoader) if _CParser else (_StrictLoader,)
for _loader in _LOADERS:
    for _tag, _method in (
        ("int", _Strict.construct_yaml_int),
        ("float", _Strict.construct_yaml_float),
        ("timestamp", _Strict.construct_yaml_timestamp),
        ("str", _Strict.construct_yaml_str),
    ):
        _loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _method)


def parse_yaml(data: bytes, *, source: str, error: type[InputError] = InputError) -> object:
    """YAML (or JSON) bytes as Python data, safely loaded under the rules above.

    libyaml reads the document when PyYAML has it; should libyaml find fault with it,
    PyYAML's own parser reads it again, so that what is accepted and the words of a
    refusal are PyYAML's (libyaml refuses some escapes PyYAML accepts, and words its
    errors differently).

    :raises InputError: of class ``error``, at the line at fault.
    """
    for loader_class in _LOADERS:
        try:
            return _load(loader_class, data, source=source, error=error)
        except yaml.YAMLError as exc:
            if loader_class is _StrictLoader:
                mark = getattr(exc, "problem_mark", None)
                where = f"line {mark.line + 1}" if mark is not None else ""
                problem = getattr(exc, "problem", None) or exc
                raise error([Problem(f"not valid YAML: {problem}", where)], source=source) from exc
    raise AssertionError("unreachable: the pure-Python loader is always last")  # pragma: no cover


def _load(loader_class: type[Any], data: bytes, *, source: str, error: type[InputError]) -> object:
    """The document ``loader_class`` reads; the strict rules' problems raised as ``error``, YAML errors as they are."""
    loader: Any = None
    try:
        loader = loader_class(data)  # reading the first characters may already find one YAML forbids
        value = loader.get_single_data()
    except _YamlRefused as exc:
        raise error([exc.problem], source=source) from None
    finally:
        if loader is not None:
            loader.dispose()
    if loader.problems:
        raise error(loader.problems, source=source)
    return value
