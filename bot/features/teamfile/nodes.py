"""The composed YAML tree of a team file: where a value sits, and what the plain data hides.

PyYAML keeps the last of two equal keys without a word, and its data carries no line numbers; both
are answered here from the node tree, before it is turned into Python values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml

Loc = tuple[str | int, ...]
MERGE_TAG = "tag:yaml.org,2002:merge"
MAX_VALUES = 100_000  # far above any real team; stops aliases that multiply into millions of values


class TeamFileLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is reported by the schema with its place."""


TeamFileLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class DuplicateKey:
    loc: Loc
    line: int
    key: str


def path_text(loc: Sequence[str | int]) -> str:
    """`("pipelines", 2, "primary")` -> `pipelines[2].primary`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the node at `loc`, or of its nearest existing parent."""
    node, line = root, (root.start_mark.line + 1 if root else None)
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def duplicate_keys(root: yaml.Node | None) -> list[DuplicateKey]:
    """Every key written twice in one mapping; call it before construction rewrites merge keys."""
    return list(_duplicates(root, (), set()))


def _duplicates(node: yaml.Node | None, loc: Loc, visited: set[int]) -> Iterator[DuplicateKey]:
    if node is None or id(node) in visited:  # an alias repeats a node already checked
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            if name in seen and key.tag != MERGE_TAG:
                yield DuplicateKey((*loc, name), key.start_mark.line + 1, name)
            seen.add(name)
            yield from _duplicates(value, (*loc, name), visited)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicates(item, (*loc, i), visited)


def too_many_values(root: yaml.Node | None) -> bool:
    """True when aliases expand the document beyond MAX_VALUES values, or refer to themselves."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = MAX_VALUES + 1  # still being counted: a cycle
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        total = 1
        for child in children:
            total = min(total + size(child), MAX_VALUES + 1)
        sizes[id(node)] = total
        return total

    return root is not None and size(root) > MAX_VALUES
