"""Recompute a gold item's calculation exactly: + - * / ( ) over decimal literals, no eval()."""
from __future__ import annotations

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

MAX_EXPRESSION = 500


class CalcError(ValueError):
    """An expression outside the allowed arithmetic."""


_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def evaluate(expression: str) -> tuple[Decimal, list[Decimal]]:
    """(value, literals used). Literals keep their printed decimals (1,234.50 -> Decimal('1234.50'))."""
    if len(expression) > MAX_EXPRESSION:
        raise CalcError(f"expression longer than {MAX_EXPRESSION} characters")
    text = expression.replace(",", "").replace("×", "*").replace("÷", "/")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise CalcError(f"not an arithmetic expression: {expression!r}") from exc
    literals: list[Decimal] = []

    def ev(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            value = Decimal(ast.get_source_segment(text, node))
            literals.append(value)
            return value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        raise CalcError(f"not allowed in a calculation: {ast.unparse(node)!r}")

    with localcontext() as ctx:
        ctx.prec = 40
        ctx.traps[DivisionByZero] = True
        try:
            return ev(tree), literals
        except (DivisionByZero, InvalidOperation) as exc:
            raise CalcError(f"cannot evaluate {expression!r}: division by zero") from exc
