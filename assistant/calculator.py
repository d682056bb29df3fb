"""Exact Decimal arithmetic through a small safe parser (tokenizer + recursive descent; never eval).

Grammar (whitespace ignored, full-width symbols accepted):
    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("+" | "-") unary | power
    power   := postfix (("**" | "^") unary)?
    postfix := primary "%"?                       x% means x / 100
    primary := NUMBER | "(" expr ")" | FUNC "(" expr ("," expr)* ")"
    FUNC    := sum | round | abs | min | max | count   round(x, n) rounds half up to n places;
                                                   count(a, b, …) is how many figures it is given

Numbers: 1234.56, 1,234.56 (thousands separators outside function calls), 1.5e3 (|exponent| <= 20).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext

from assistant.model import Calculation

MAX_CHARS = 1000
MAX_TOKENS = 400
MAX_DEPTH = 40
MAX_DIGITS = 40
MAX_POWER = 20
MAX_SCI_EXPONENT = 20
MAX_ROUND_PLACES = 12
PRECISION = 40

CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_UP, Emax=999, Emin=-999,
                  traps=[InvalidOperation, DivisionByZero, Overflow])
FUNCTIONS = ("sum", "round", "abs", "min", "max", "count")

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％（）×÷＊／＾　", "0123456789.,-+%()*/*/^ ")
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


class CalculatorError(ValueError):
    """The expression is not allowed or cannot be computed; the message says why."""


@dataclass(frozen=True)
class Token:
    kind: str      # num | op | name | ( | ) | , | end
    text: str
    pos: int


def normalize_expression(expression: str) -> str:
    return expression.translate(_FULLWIDTH).strip()


def tokenize(expression: str) -> list[Token]:
    if not isinstance(expression, str):
        raise CalculatorError("the expression must be text")
    if len(expression) > MAX_CHARS:
        raise CalculatorError(f"expression too long ({len(expression)} characters; at most {MAX_CHARS})")
    text = normalize_expression(expression)
    if not text:
        raise CalculatorError("empty expression")
    tokens: list[Token] = []
    frames: list[str] = []       # "call" or "group" for each open parenthesis
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit() or (ch == "." and i + 1 < len(text) and text[i + 1].isdigit()):
            m = _NUMBER.match(text, i)
            raw = m.group(0)
            if "," in raw and frames and frames[-1] == "call":
                raw = re.match(r"\d+(?:\.\d+)?", raw).group(0)   # commas separate arguments here
            tokens.append(Token("num", raw, i))
            i += len(raw)
            continue
        if ch.isalpha() or ch == "_":
            m = _NAME.match(text, i)
            if not m:
                raise CalculatorError(f"unexpected character {ch!r} at position {i}")
            name = m.group(0)
            if name.lower() not in FUNCTIONS:
                raise CalculatorError(f"unknown name {name!r}; allowed functions: {', '.join(FUNCTIONS)}")
            tokens.append(Token("name", name.lower(), i))
            i += len(name)
            continue
        if text.startswith("**", i):
            tokens.append(Token("op", "**", i))
            i += 2
            continue
        if ch in "+-*/^%":
            tokens.append(Token("op", "**" if ch == "^" else ch, i))
            i += 1
            continue
        if ch == "(":
            frames.append("call" if tokens and tokens[-1].kind == "name" else "group")
            if len(frames) > MAX_DEPTH:
                raise CalculatorError(f"too deeply nested (more than {MAX_DEPTH} levels)")
            tokens.append(Token("(", ch, i))
            i += 1
            continue
        if ch == ")":
            if not frames:
                raise CalculatorError(f"unbalanced ')' at position {i}")
            frames.pop()
            tokens.append(Token(")", ch, i))
            i += 1
            continue
        if ch == ",":
            if not frames or frames[-1] != "call":
                raise CalculatorError(f"',' outside a function call at position {i}")
            tokens.append(Token(",", ch, i))
            i += 1
            continue
        raise CalculatorError(f"unexpected character {ch!r} at position {i}")
    if frames:
        raise CalculatorError("unbalanced '(': missing ')'")
    if len(tokens) > MAX_TOKENS:
        raise CalculatorError(f"too many tokens ({len(tokens)}; at most {MAX_TOKENS})")
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse_number(raw: str) -> Decimal:
    mantissa, _, exponent = raw.replace(",", "").lower().partition("e")
    if len(mantissa.replace(".", "")) > MAX_DIGITS:
        raise CalculatorError(f"number {raw[:20]}… has more than {MAX_DIGITS} digits")
    if exponent and abs(int(exponent)) > MAX_SCI_EXPONENT:
        raise CalculatorError(f"exponent in {raw!r} is too large (at most {MAX_SCI_EXPONENT})")
    return Decimal(mantissa) * (Decimal(10) ** int(exponent or 0))


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self, kind: str, text: str | None = None) -> Token:
        tok = self.peek()
        if tok.kind != kind or (text is not None and tok.text != text):
            want = text or kind
            got = tok.text or "end of expression"
            raise CalculatorError(f"expected {want!r} at position {tok.pos}, found {got!r}")
        self.i += 1
        return tok

    def at(self, kind: str, *texts: str) -> bool:
        tok = self.peek()
        return tok.kind == kind and (not texts or tok.text in texts)

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CalculatorError(f"too deeply nested (more than {MAX_DEPTH} levels)")

    def expr(self) -> Decimal:
        self.nested()
        value = self.term()
        while self.at("op", "+", "-"):
            op = self.take("op").text
            right = self.term()
            value = value + right if op == "+" else value - right
        self.depth -= 1
        return value

    def term(self) -> Decimal:
        value = self.unary()
        while self.at("op", "*", "/"):
            op = self.take("op").text
            right = self.unary()
            if op == "*":
                value = value * right
            else:
                if right == 0:
                    raise CalculatorError("division by zero")
                value = value / right
        return value

    def unary(self) -> Decimal:
        if self.at("op", "+", "-"):
            op = self.take("op").text
            self.nested()
            value = self.unary()
            self.depth -= 1
            return -value if op == "-" else +value
        return self.power()

    def power(self) -> Decimal:
        base = self.postfix()
        if self.at("op", "**"):
            self.take("op")
            exponent = self.unary()
            if exponent != exponent.to_integral_value() or abs(exponent) > MAX_POWER:
                raise CalculatorError(f"exponent must be a whole number between -{MAX_POWER} and {MAX_POWER}")
            if base == 0 and exponent < 0:
                raise CalculatorError("division by zero")
            return base ** int(exponent)
        return base

    def postfix(self) -> Decimal:
        value = self.primary()
        if self.at("op", "%"):
            self.take("op")
            value = value / 100
        return value

    def primary(self) -> Decimal:
        tok = self.peek()
        if tok.kind == "num":
            self.i += 1
            return parse_number(tok.text)
        if tok.kind == "(":
            self.take("(")
            value = self.expr()
            self.take(")")
            return value
        if tok.kind == "name":
            return self.call()
        raise CalculatorError(f"expected a number at position {tok.pos}, found {tok.text or 'end of expression'!r}")

    def call(self) -> Decimal:
        name = self.take("name").text
        self.take("(")
        args = [self.expr()]
        while self.at(","):
            self.take(",")
            args.append(self.expr())
        self.take(")")
        if name == "sum":
            return sum(args[1:], args[0])
        if name == "count":
            return Decimal(len(args))
        if name in ("min", "max"):
            return min(args) if name == "min" else max(args)
        if name == "abs":
            _arity(name, args, 1)
            return abs(args[0])
        _arity(name, args, 1, 2)     # round
        places = args[1] if len(args) == 2 else Decimal(0)
        if places != places.to_integral_value() or not 0 <= places <= MAX_ROUND_PLACES:
            raise CalculatorError(f"round(x, n): n must be a whole number from 0 to {MAX_ROUND_PLACES}")
        return args[0].quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


def _arity(name: str, args: list, *allowed: int) -> None:
    if len(args) not in allowed:
        raise CalculatorError(f"{name}() takes {' or '.join(map(str, allowed))} argument(s), got {len(args)}")


def evaluate(expression: str) -> Decimal:
    """The exact value of an arithmetic expression; CalculatorError for anything not allowed."""
    tokens = tokenize(expression)
    with localcontext(CONTEXT):
        try:
            parser = _Parser(tokens)
            value = parser.expr()
            parser.take("end")
            return +value
        except (InvalidOperation, DivisionByZero) as exc:
            raise CalculatorError(f"cannot compute: {type(exc).__name__}") from exc
        except Overflow as exc:
            raise CalculatorError("result too large") from exc


def calculate(expression: str, shown: str = "") -> Calculation:
    """Evaluate and return a Calculation carrying the expression with the cited figures."""
    value = evaluate(expression)
    text = " ".join(normalize_expression(expression).split())
    return Calculation(expression=text, result=value, shown=shown or f"{text} = {plain(value)}")


def plain(value: Decimal, places: int | None = None) -> str:
    """A Decimal written without exponent, optionally rounded half up to `places`."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value, "f")
    if "." in text and places is None:
        text = text.rstrip("0").rstrip(".")
    return text

