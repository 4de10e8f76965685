"""Connected components, shared by the reuse stage (groups of copies) and the Spark job (time blocks)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def components(nodes: Iterable[Node], edges: Iterable[tuple[Node, Node]]) -> list[list[Node]]:
    """The connected components (each sorted, singletons included), in order of their smallest node."""
    parent: dict[Node, Node] = {node: node for node in nodes}

    def root(item: Node) -> Node:
        while parent[item] != item:
            parent[item] = parent[parent[item]]  # path halving keeps the trees shallow
            item = parent[item]
        return item

    for first, second in edges:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)  # type: ignore[type-var]
    members: dict[Node, list[Node]] = {}
    for node in parent:
        members.setdefault(root(node), []).append(node)
    return sorted((sorted(group) for group in members.values()), key=lambda group: group[0])  # type: ignore[type-var]
