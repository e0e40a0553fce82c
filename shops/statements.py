"""Reading an ORM statement's WHERE clause: which products a bulk UPDATE touches."""

from __future__ import annotations

from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from shops.models import Product


def product_ids_in(where, column: str = "id") -> list[int]:
    """Literal values in `products.<column> = :value` or `... IN (...)` conditions."""
    ids: list[int] = []
    for node in visitors.iterate(where):
        if not (
            isinstance(node, BinaryExpression)
            and getattr(node.left, "table", None) is Product.__table__
            and getattr(node.left, "name", None) == column
            and isinstance(node.right, BindParameter)
        ):
            continue
        value = node.right.effective_value
        if node.operator is operators.eq and isinstance(value, int):
            ids.append(value)
        elif node.operator is operators.in_op and isinstance(value, list | tuple):
            ids.extend(v for v in value if isinstance(v, int))
    return ids
