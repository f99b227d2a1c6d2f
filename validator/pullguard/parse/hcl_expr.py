"""A parser for HCL expressions and string templates (the text ``hcl2`` hands back).

Both ``hcl2`` dialects (python-hcl2 and Checkov's bc-python-hcl2, see ``hcl_load``)
return expressions as source-like text: python-hcl2 as real HCL, bc-python-hcl2
with nested objects printed as Python literals (``{'a': '${x}'}``, ``None``).
This parser reads both. The AST is made of tuples:

    ("lit", v) ("tmpl", parts) ("var", name) ("attr", obj, name) ("index", obj, key)
    ("splat", obj, ops) ("call", name, args, expand) ("list", items) ("obj", pairs)
    ("forl", k, v, coll, val, cond) ("form", k, v, coll, key, val, group, cond)
    ("cond", c, a, b) ("bin", op, a, b) ("not", a) ("neg", a) ("unsup", why)

Anything it cannot read raises ``HclSyntax``; callers turn that into "unknown".
"""
from __future__ import annotations

import ast
import re

__all__ = ["HclSyntax", "parse_expression", "parse_template", "unwrap_template"]


class HclSyntax(Exception):
    pass


_NUMBER = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_BIN = [("||",), ("&&",), ("==", "!="), ("<=", ">=", "<", ">"), ("+", "-"), ("*", "/", "%")]
_KEYWORDS = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


def _simplify(parts: list):
    """A template that is one interpolation is that value, unconverted (HCL spec)."""
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]
    if all(isinstance(p, str) for p in parts):
        return ("lit", "".join(parts))
    return ("tmpl", tuple(parts))


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0

    # -- scanning ---------------------------------------------------------
    def ws(self) -> None:
        s, n = self.s, len(self.s)
        while self.i < n:
            c = s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#" or s.startswith("//", self.i):
                j = s.find("\n", self.i)
                self.i = n if j < 0 else j + 1
            elif s.startswith("/*", self.i):
                j = s.find("*/", self.i + 2)
                self.i = n if j < 0 else j + 2
            else:
                break

    def peek(self, tok: str) -> bool:
        self.ws()
        return self.s.startswith(tok, self.i)

    def eat(self, tok: str) -> bool:
        if self.peek(tok):
            self.i += len(tok)
            return True
        return False

    def expect(self, tok: str) -> None:
        if not self.eat(tok):
            raise HclSyntax(f"expected {tok!r} at {self.i}: {self.s[self.i:self.i + 30]!r}")

    def ident(self):
        self.ws()
        m = _IDENT.match(self.s, self.i)
        if not m:
            return None
        self.i = m.end()
        return m.group(0)

    # -- expressions ------------------------------------------------------
    def expr(self):
        c = self.binary(0)
        if self.peek("?"):
            self.i += 1
            a = self.expr()
            self.expect(":")
            b = self.expr()
            return ("cond", c, a, b)
        return c

    def binary(self, level: int):
        if level == len(_BIN):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            self.ws()
            op = next((o for o in _BIN[level] if self.s.startswith(o, self.i)), None)
            if op is None or self.s.startswith("<<", self.i):
                return left
            self.i += len(op)
            left = ("bin", op, left, self.binary(level + 1))

    def unary(self):
        self.ws()
        if self.s.startswith("!", self.i) and not self.s.startswith("!=", self.i):
            self.i += 1
            return ("not", self.unary())
        if self.s.startswith("-", self.i):
            self.i += 1
            return ("neg", self.unary())
        return self.postfix(self.primary())

    def postfix(self, node):
        while True:
            self.ws()
            if self.s.startswith("[*]", self.i) or self.s.startswith(".*", self.i):
                self.i += 3 if self.s[self.i] == "[" else 2
                ops = []
                while True:
                    self.ws()
                    if self.s.startswith(".", self.i) and not self.s.startswith("..", self.i):
                        self.i += 1
                        name = self.ident()
                        if name is None:
                            raise HclSyntax("attribute name expected")
                        ops.append(("attr", name))
                    elif self.s.startswith("[", self.i) and not self.s.startswith("[*]", self.i):
                        self.i += 1
                        k = self.expr()
                        self.expect("]")
                        ops.append(("index", k))
                    else:
                        break
                node = ("splat", node, tuple(ops))
            elif self.s.startswith(".", self.i) and not self.s.startswith("...", self.i):
                self.i += 1
                self.ws()
                m = _NUMBER.match(self.s, self.i)
                if m and m.group(0).isdigit():
                    self.i = m.end()
                    node = ("index", node, ("lit", int(m.group(0))))
                else:
                    name = self.ident()
                    if name is None:
                        raise HclSyntax("attribute name expected")
                    node = ("attr", node, name)
            elif self.s.startswith("[", self.i):
                self.i += 1
                k = self.expr()
                self.expect("]")
                node = ("index", node, k)
            else:
                return node

    def primary(self):
        self.ws()
        s, i = self.s, self.i
        if i >= len(s):
            raise HclSyntax("unexpected end")
        c = s[i]
        if c.isdigit():
            m = _NUMBER.match(s, i)
            self.i = m.end()
            text = m.group(0)
            return ("lit", int(text) if text.isdigit() else float(text))
        if c == '"':
            self.i += 1
            return _simplify(self.template('"', escapes=True))
        if c == "'":  # bc-python-hcl2 prints nested strings as Python literals
            m = re.compile(r"'(?:[^'\\]|\\.)*'").match(s, i)
            if not m:
                raise HclSyntax("bad string")
            self.i = m.end()
            inner = ast.literal_eval(m.group(0))
            return _simplify(_Parser(inner).template(None, escapes=True))
        if s.startswith("<<", i):
            return self.heredoc()
        if c == "(":
            self.i += 1
            e = self.expr()
            self.expect(")")
            return ("paren", e)
        if c == "[":
            self.i += 1
            if self.peek("for") and self._for_ahead():
                return self.for_expr("]")
            items = []
            while not self.eat("]"):
                items.append(self.expr())
                self.eat(",")
            return ("list", tuple(items))
        if c == "{":
            self.i += 1
            if self.peek("for") and self._for_ahead():
                return self.for_expr("}")
            pairs = []
            while not self.eat("}"):
                k = self.object_key()
                if not (self.eat("=") or self.eat(":")):
                    raise HclSyntax("= expected in object")
                pairs.append((k, self.expr()))
                self.eat(",")
            return ("obj", tuple(pairs))
        name = self.ident()
        if name is None:
            raise HclSyntax(f"unexpected {s[i:i + 20]!r}")
        if name in _KEYWORDS:
            return ("lit", _KEYWORDS[name])
        self.ws()
        if self.s.startswith("(", self.i):
            if self.s.startswith("::", self.i - 2):
                raise HclSyntax("provider functions")
            self.i += 1
            args, expand = [], False
            while not self.eat(")"):
                args.append(self.expr())
                if self.eat("..."):
                    expand = True
                self.eat(",")
            return ("call", name, tuple(args), expand)
        return ("var", name)

    def _for_ahead(self) -> bool:
        m = re.compile(r"for\s+[A-Za-z_]").match(self.s, self.i)
        return m is not None

    def object_key(self):
        self.ws()
        m = _IDENT.match(self.s, self.i)
        if m:
            end = m.end()
            rest = self.s[end:].lstrip(" \t")
            if rest.startswith(("=", ":")) and not rest.startswith(("==", "::")):
                self.i = end
                return ("lit", m.group(0) if m.group(0) not in ("None",) else m.group(0))
        return self.expr()

    def for_expr(self, close: str):
        self.expect("for")
        k, v = self.ident(), None
        if self.eat(","):
            v = self.ident()
        else:
            k, v = None, k
        self.expect("in")
        coll = self.expr()
        self.expect(":")
        first = self.expr()
        if close == "}":
            self.expect("=>")
            val = self.expr()
            group = self.eat("...")
            cond = self.expr() if self.eat("if") else None
            self.expect("}")
            return ("form", k, v, coll, first, val, group, cond)
        cond = self.expr() if self.eat("if") else None
        self.expect("]")
        return ("forl", k, v, coll, first, cond)

    # -- templates --------------------------------------------------------
    def template(self, close, escapes: bool) -> list:
        """Parts of a template up to ``close`` (None: the end of the text)."""
        s = self.s
        parts: list = []
        buf: list = []
        while True:
            if self.i >= len(s):
                if close is None:
                    break
                raise HclSyntax("unterminated string")
            c = s[self.i]
            if close is not None and c == close:
                self.i += 1
                break
            if escapes and c == "\\" and self.i + 1 < len(s):
                n = s[self.i + 1]
                if n in _ESCAPES:
                    buf.append(_ESCAPES[n])
                    self.i += 2
                elif n == "u" or n == "U":
                    width = 4 if n == "u" else 8
                    buf.append(chr(int(s[self.i + 2:self.i + 2 + width], 16)))
                    self.i += 2 + width
                else:
                    raise HclSyntax("bad escape")
                continue
            if s.startswith("$${", self.i) or s.startswith("%%{", self.i):
                buf.append(s[self.i + 1:self.i + 3])
                self.i += 3
                continue
            if s.startswith("${", self.i):
                self.i += 2
                self.eat("~")
                if buf:
                    parts.append("".join(buf))
                    buf = []
                e = self.expr()
                self.eat("~")
                self.expect("}")
                parts.append(e)
                continue
            if s.startswith("%{", self.i):
                raise HclSyntax("template directives")
            buf.append(c)
            self.i += 1
        if buf or not parts:
            parts.append("".join(buf))
        return parts

    def heredoc(self):
        m = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n").match(self.s, self.i)
        if not m:
            raise HclSyntax("bad heredoc")
        indent, marker = m.group(1) == "-", m.group(2)
        end = re.compile(r"^[ \t]*" + re.escape(marker) + r"[ \t]*$", re.M).search(self.s, m.end())
        if not end:
            raise HclSyntax("unterminated heredoc")
        body = self.s[m.end():end.start()]
        self.i = end.end()
        return _heredoc_node(body, indent)


def _heredoc_node(body: str, indent: bool):
    lines = body.split("\n")
    if indent:
        widths = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
        cut = min(widths) if widths else 0
        lines = [ln[cut:] for ln in lines]
    return _simplify(_Parser("\n".join(lines)).template(None, escapes=False))


def parse_expression(text: str):
    p = _Parser(text)
    e = p.expr()
    p.ws()
    if p.i != len(text):
        raise HclSyntax(f"trailing text {text[p.i:p.i + 30]!r}")
    return e


def parse_template(text: str, escapes: bool = True):
    """A string's inner text (no quotes) as a template."""
    return _simplify(_Parser(text).template(None, escapes=escapes))


def unwrap_template(text: str):
    """``"..."`` (quoted HCL string, maybe a heredoc inside) → template AST."""
    inner = text[1:-1]
    if inner.startswith("<<"):
        m = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n").match(inner)
        if m:
            body = inner[m.end():]
            body = body[:body.rstrip().rfind("\n") + 1] if "\n" in body.rstrip() else ""
            return _heredoc_node(body, m.group(1) == "-")
    p = _Parser(text)
    p.i = 1
    node = _simplify(p.template('"', escapes=True))
    if p.i != len(text):
        raise HclSyntax("text after string")
    return node
