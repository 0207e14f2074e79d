"""Java regular expressions (the botocore model's ``pattern`` traits) rewritten for :mod:`re`.

The SageMaker model, ``botocore/data/sagemaker/2017-07-24/service-2.json``, writes its patterns
for ``java.util.regex.Pattern``
(https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html).
:func:`_translate_java_regex` rewrites them for :mod:`re`: ``\\p{..}`` classes become explicit
code-point ranges, ``.`` excludes every Java line terminator, ``\\d``/``\\w``/``\\s`` stay
ASCII-only as in Java, UTF-16 surrogate pairs become code points. :func:`_compile_pattern`
compiles the result (or a known linear equivalent of a pattern that would backtrack
exponentially); a pattern that cannot be translated is not enforced rather than guessed.
"""

from __future__ import annotations

import functools
import re
import warnings

from .unicode_table import general_category_ranges

#: Java's ``.`` without DOTALL matches anything but a line terminator: \n, \r, U+0085, U+2028,
#: U+2029 (java.util.regex.Pattern, "Line terminators").
_JAVA_DOT = "[^\\n\\r\\x85\\u2028\\u2029]"

#: Model patterns whose literal translation backtracks exponentially on long non-matching input
#: (1 MB pipeline definitions), mapped to an equivalent linear pattern. With Java semantics,
#: ``.*(?:[ \r\n\t].*)*`` accepts exactly the strings without U+0085, U+2028 and U+2029: ``.``
#: covers every other character except \n and \r, which the bracket adds back.
_LINEAR_EQUIVALENTS: dict[str, str] = {
    ".*(?:[ \\r\\n\\t].*)*": "[^\\x85\\u2028\\u2029]*",
    ".*(?:[ \\r\\n\\t].*)*.*": "[^\\x85\\u2028\\u2029]*",
    # PipelineNameOrArn: quadratic on long invalid ARNs. In the ARN branch ``.*`` absorbs all but
    # the last character of the name, so the branch only needs a final alphanumeric.
    "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*)?"
    "([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})": (
        "arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:(?:[0-9]{12}|aws):pipeline/"
        + _JAVA_DOT
        + "*[a-zA-Z0-9]|[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,255}"
    ),
}

#: POSIX classes of java.util.regex.Pattern (US-ASCII only, as in Java without
#: UNICODE_CHARACTER_CLASS), as inclusive code-point ranges.
_POSIX_CLASSES: dict[str, tuple[tuple[int, int], ...]] = {
    "Lower": ((0x61, 0x7A),),
    "Upper": ((0x41, 0x5A),),
    "ASCII": ((0x00, 0x7F),),
    "Alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "Digit": ((0x30, 0x39),),
    "Alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "Punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "Graph": ((0x21, 0x7E),),
    "Print": ((0x20, 0x7E),),
    "Blank": ((0x09, 0x09), (0x20, 0x20)),
    "Cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "XDigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
    "Space": ((0x09, 0x0D), (0x20, 0x20)),
}

#: Java's ``\h`` (horizontal whitespace).
_JAVA_HSPACE = (
    (0x09, 0x09),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)

#: Escapes whose meaning is the same in Java and in Python ``re`` compiled with ``re.ASCII``.
_SAME_ESCAPES = frozenset("dDwWsSbBAtnrfa123456789")

_QUANTIFIER = re.compile(r"(?:[*+?]|\{(\d+)(?:,\d*)?\})[?+]?")


class _Untranslatable(Exception):
    """A Java construct without a faithful :mod:`re` equivalent."""


def _property_ranges(name: str) -> list[tuple[int, int]]:
    """Code-point ranges of a Java ``\\p{name}`` class (general categories and POSIX classes)."""
    if name in _POSIX_CLASSES:
        return list(_POSIX_CLASSES[name])
    for prefix in ("Is", "general_category=", "gc="):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
            break
    table = general_category_ranges()
    if name in ("LC", "L&"):
        wanted = ["Lu", "Ll", "Lt"]
    elif len(name) == 1 and name in "LMNPSZC":
        wanted = [cat for cat in table if cat[0] == name]
    elif len(name) == 2 and name in table:
        wanted = [name]
    else:
        raise _Untranslatable(f"\\p{{{name}}}")
    spans: list[tuple[int, int]] = []
    for cat in wanted:
        spans.extend(table.get(cat, ()))
    return spans


def _class_body(spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """Merge code-point ranges and render them as the inside of a ``re`` character class."""
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    parts = []
    for first, last in merged:
        parts.append(
            _cp_escape(first) if first == last else f"{_cp_escape(first)}-{_cp_escape(last)}"
        )
    return "".join(parts)


def _cp_escape(cp: int) -> str:
    """A code point as a ``re`` escape (valid inside and outside character classes)."""
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _read_hex(pattern: str, start: int, count: int) -> int:
    digits = pattern[start : start + count]
    if len(digits) != count or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise _Untranslatable("bad hex escape")
    return int(digits, 16)


def _translate_java_regex(pattern: str) -> str:
    """Rewrite a Java (java.util.regex) pattern into an equivalent Python :mod:`re` pattern.

    The result is meant for ``re.compile(..., re.ASCII)`` and ``fullmatch`` (Java's
    ``String.matches``). Raises :class:`_Untranslatable` for constructs without an equivalent
    (class intersections ``&&``, nested classes, ``\\P`` inside a class, ``\\G``, ...).
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_open = False  # just after "[" or "[^": a "]" here is a literal
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise _Untranslatable("trailing backslash")
            d = pattern[i + 1]
            i += 2
            if d in "pP":
                if i < n and pattern[i] == "{":
                    end = pattern.find("}", i)
                    if end < 0:
                        raise _Untranslatable("unterminated \\p{")
                    name, i = pattern[i + 1 : end], end + 1
                elif i < n:
                    name, i = pattern[i], i + 1
                else:
                    raise _Untranslatable("bare \\p")
                body = _class_body(_property_ranges(name))
                if in_class:
                    if d == "P":
                        raise _Untranslatable("\\P inside a class")
                    out.append(body)
                else:
                    out.append(("[" if d == "p" else "[^") + body + "]")
            elif d == "u":
                cp = _read_hex(pattern, i, 4)
                i += 4
                if 0xD800 <= cp <= 0xDBFF and pattern.startswith("\\u", i):
                    low = _read_hex(pattern, i + 2, 4)
                    if 0xDC00 <= low <= 0xDFFF:
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                out.append(_cp_escape(cp))
            elif d == "x":
                if i < n and pattern[i] == "{":
                    end = pattern.find("}", i)
                    if end < 0 or end == i + 1:
                        raise _Untranslatable("bad \\x{}")
                    cp = _read_hex(pattern, i + 1, end - i - 1)
                    i = end + 1
                else:
                    cp = _read_hex(pattern, i, 2)
                    i += 2
                if cp > 0x10FFFF:
                    raise _Untranslatable("code point out of range")
                out.append(_cp_escape(cp))
            elif d == "Q":
                end = pattern.find("\\E", i)
                literal = pattern[i:] if end < 0 else pattern[i:end]
                i = n if end < 0 else end + 2
                out.append("".join(_cp_escape(ord(ch)) for ch in literal))
            elif d == "e":
                out.append("\\x1b")
            elif d == "h":
                body = _class_body(_JAVA_HSPACE)
                out.append(body if in_class else f"[{body}]")
            elif d == "z" and not in_class:
                out.append("\\Z")
            elif d == "Z" and not in_class:
                out.append("(?=[\\n\\r\\x85\\u2028\\u2029]?\\Z)")
            elif d in _SAME_ESCAPES or d == "0" or not d.isascii() or not d.isalnum():
                out.append("\\" + d)
            else:
                raise _Untranslatable(f"\\{d}")
            class_open = False
            continue
        if in_class:
            if c == "]" and not class_open:
                in_class = False
                out.append("]")
            elif c == "[":
                raise _Untranslatable("nested character class")
            elif c == "&" and pattern.startswith("&&", i):
                raise _Untranslatable("class intersection")
            elif c in "&~|-" and i + 1 < n and pattern[i + 1] == c:
                out.append("\\" + c)  # literal in Java; a FutureWarning "set operation" in re
            else:
                out.append(c)
            class_open = False
            i += 1
            continue
        if c == "[":
            in_class = class_open = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            continue
        if c == ".":
            out.append(_JAVA_DOT)
        elif c in "^$":
            # Java accepts a quantified anchor (``${1,128}``); re rejects it. A minimum of zero
            # makes the anchor optional, i.e. no constraint at all.
            quantifier = _QUANTIFIER.match(pattern, i + 1)
            if quantifier is None:
                out.append(c)
            else:
                text = quantifier.group(0)
                minimum = (
                    int(quantifier.group(1))
                    if quantifier.group(1) is not None
                    else (1 if text[0] == "+" else 0)
                )
                if minimum > 0:
                    out.append(c)
                i = quantifier.end()
                continue
        elif (
            c == "("
            and pattern.startswith("(?<", i)
            and not pattern.startswith(("(?<=", "(?<!"), i)
        ):
            out.append("(?P<")  # Java named group
            i += 3
            continue
        else:
            out.append(c)
        i += 1
    if in_class:
        raise _Untranslatable("unterminated character class")
    return "".join(out)


@functools.cache
def _compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The compiled :mod:`re` equivalent of a model pattern, or None if it cannot be translated."""
    source = _LINEAR_EQUIVALENTS.get(pattern)
    try:
        if source is None:
            source = _translate_java_regex(pattern)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(source, re.ASCII)
    except (_Untranslatable, re.error, OverflowError, ValueError, RecursionError):
        return None
