"""Pygments' ``RegexLexer`` with the rules of each state tried in one regular-expression match.

``RegexLexer`` tries the rules of its current state one after another, a call into the regex
engine each, until one matches: at every token, and Python's lexer tries some thirty rules
before it reaches a name. Here the patterns of a state are joined as the alternatives of one
pattern, each followed by an empty group that tells which matched. The regex engine takes the
first alternative that matches at a position, as the lexer takes the first rule, so that
rule's own pattern is then matched to hand its action the same match object. The tokens are
those of ``RegexLexer.get_tokens_unprocessed``, whose loop ``tokens`` follows (each rule's flags
scoped to its alternative); a state whose patterns cannot be joined (back-references by number,
verbose patterns) is tried rule by rule, as there.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

_NUMBERED = re.compile(r"\\[0-9]|\(\?\(")  # \1, (?(1)…): groups by number, which joining renumbers
_LEADING_FLAGS = re.compile(r"\(\?[imsx]+\)")  # the pattern's flags say them
_SCOPED = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))
_UNSCOPED = re.VERBOSE | re.ASCII | re.LOCALE  # not joined: a verbose pattern's comments, byte-like classes

Rule = tuple[Callable[..., Any], Any, Any]


def join_states(lexer: Lexer) -> Lexer:
    """``lexer``, its tokens found with joined states when it is a plain ``RegexLexer``."""
    if isinstance(lexer, RegexLexer) and type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed:
        lexer.get_tokens_unprocessed = _JoinedStates(lexer).tokens  # type: ignore[method-assign]
    return lexer


class _JoinedStates:
    """The joined pattern of each state of one lexer, made when the state is first entered."""

    def __init__(self, lexer: RegexLexer) -> None:
        self.lexer = lexer
        self.tokendefs: dict[Any, list[Rule]] = lexer._tokens  # type: ignore[attr-defined]  # the processed rules
        self.joined: dict[Any, tuple[Callable[[str, int], re.Match[str] | None] | None, dict[int, Rule]]] = {}

    def state(self, name: Any) -> tuple[Callable[[str, int], re.Match[str] | None] | None, dict[int, Rule]]:
        found = self.joined.get(name)
        if found is None:
            found = self.joined[name] = _join(self.tokendefs[name])
        return found

    def tokens(self, text: str, stack: Iterable[str] = ("root",)) -> Iterator[tuple[int, _TokenType, str]]:
        """``RegexLexer.get_tokens_unprocessed``, each rule found by its state's joined pattern."""
        lexer = self.lexer
        tokendefs = self.tokendefs
        pos = 0
        statestack = list(stack)
        statetokens = tokendefs[statestack[-1]]
        joined, rules = self.state(statestack[-1])
        while True:
            found = _rule_at(text, pos, joined, rules, statetokens)
            if found is not None:
                m, action, new_state = found
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, m.group()
                    else:
                        yield from action(lexer, m)
                pos = m.end()
                if new_state is not None:
                    if isinstance(new_state, tuple):
                        for state in new_state:
                            if state == "#pop":
                                if len(statestack) > 1:
                                    statestack.pop()
                            elif state == "#push":
                                statestack.append(statestack[-1])
                            else:
                                statestack.append(state)
                    elif isinstance(new_state, int):
                        if abs(new_state) >= len(statestack):
                            del statestack[1:]
                        else:
                            del statestack[new_state:]
                    elif new_state == "#push":
                        statestack.append(statestack[-1])
                    else:
                        raise AssertionError(f"wrong state def: {new_state!r}")
                    statetokens = tokendefs[statestack[-1]]
                    joined, rules = self.state(statestack[-1])
            else:
                try:
                    if text[pos] == "\n":
                        statestack = ["root"]
                        statetokens = tokendefs["root"]
                        joined, rules = self.state("root")
                        yield pos, Whitespace, "\n"
                        pos += 1
                        continue
                    yield pos, Error, text[pos]
                    pos += 1
                except IndexError:
                    break


def _rule_at(text: str, pos: int, joined: Callable[[str, int], re.Match[str] | None] | None, rules: dict[int, Rule],
             statetokens: list[Rule]) -> tuple[re.Match[str], Any, Any] | None:
    """The match, action and next state of the first rule of a state that matches at ``pos``
    (None: none does). The joined pattern's match is the rule's own when the rule's action needs
    only its text and end (a token type, or nothing): the regex engine found it trying that
    rule's alternative at ``pos``. An action given the match's groups gets the rule's own match."""
    if joined is not None:
        found = joined(text, pos)
        if found is None:
            return None
        rule = rules.get(found.lastindex or 0)
        if rule is not None and (rule[1] is None or type(rule[1]) is _TokenType):
            return found, rule[1], rule[2]
        candidates = statetokens if rule is None else [rule]
    else:
        candidates = statetokens
    for rexmatch, action, new_state in candidates:
        m = rexmatch(text, pos)
        if m:
            return m, action, new_state
    return None


def _join(rules: list[Rule]) -> tuple[Callable[[str, int], re.Match[str] | None] | None, dict[int, Rule]]:
    """One pattern of the alternatives ``(?flags:rule)()`` and, by the number of each empty group,
    its rule; ``None`` when the rules' patterns cannot stand side by side in one pattern."""
    by_group: dict[int, Rule] = {}
    alternatives = []
    group = 0
    for rule in rules:
        pattern = getattr(rule[0], "__self__", None)
        alternative = _alternative(pattern) if isinstance(pattern, re.Pattern) else None
        if pattern is None or alternative is None:
            return None, {}
        group += pattern.groups + 1
        by_group[group] = rule
        alternatives.append(alternative)
    try:
        joined = re.compile("|".join(alternatives))
    except re.error:
        return None, {}
    if not alternatives or joined.groups != group:
        return None, {}
    return joined.match, by_group


def _alternative(pattern: re.Pattern[Any]) -> str | None:
    """``pattern`` as one alternative of a joined pattern, its flags scoped to it (a lexer's
    flags, or ``(?i)`` at the start of one rule) and an empty group after it."""
    if not isinstance(pattern.pattern, str) or pattern.flags & _UNSCOPED or _NUMBERED.search(pattern.pattern):
        return None
    text = pattern.pattern
    leading = _LEADING_FLAGS.match(text)
    letters = "".join(letter for flag, letter in _SCOPED if pattern.flags & flag)
    return f"(?{letters}:{text[leading.end() if leading else 0:]})()"
