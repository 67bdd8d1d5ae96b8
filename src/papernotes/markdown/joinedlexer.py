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

Most rules cannot begin with most characters (a keyword, a string's quote, a comment's ``#``),
yet the engine tries each alternative at each token. So each state is joined once for each
character a token begins with, of only the rules whose pattern can begin with that character
(read from the parsed pattern; a rule that can match empty text, or whose start is not plainly a
small set of characters, is kept for every character). Letters share one joined pattern and
digits another, and four rules or fewer are tried one by one, so that a lexer compiles about as
much as with one joined pattern a state. Joining costs set-up time (reading every rule's
pattern, compiling), so a state lexes rule by rule until it has lexed enough tokens to pay for
it (``JOIN_AFTER``, ``STATE_TOKENS``): the few snippets a note holds in a language seldom do.
"""

from __future__ import annotations

import re
# a pattern parsed, to read which characters it can begin with (no stubs: the operators are Any)
import re._constants as sre  # type: ignore[import-not-found]
import re._parser  # type: ignore[import-not-found]
from typing import Any, Callable, Iterable, Iterator

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

_NUMBERED = re.compile(r"\\[0-9]|\(\?\(")  # \1, (?(1)…): groups by number, which joining renumbers
_LEADING_FLAGS = re.compile(r"\(\?[imsx]+\)")  # the pattern's flags say them
_SCOPED = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))
_UNSCOPED = re.VERBOSE | re.ASCII | re.LOCALE  # not joined: a verbose pattern's comments, byte-like classes

Rule = tuple[Callable[..., Any], Any, Any]
Matcher = Callable[[str, int], "re.Match[str] | None"]
#: What is tried at a token: a joined pattern (None: none) with its rules by group, and the rules
#: to try one by one when there is none or the match's rule is not found by its group.
Joined = tuple[Matcher | None, dict[int, Rule], list[Rule]]


def join_states(lexer: Lexer, join_after: int | None = None) -> Lexer:
    """``lexer``, its tokens found with joined states when it is a plain ``RegexLexer``; a
    state's rules are joined for a character once ``join_after`` tokens (``JOIN_AFTER``)
    beginning with it, and ``STATE_TOKENS`` times as many in all, were lexed rule by rule."""
    if isinstance(lexer, RegexLexer) and type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed:
        joined = _JoinedStates(lexer, JOIN_AFTER if join_after is None else join_after)
        lexer.get_tokens_unprocessed = joined.tokens  # type: ignore[method-assign]
    return lexer


class _JoinedStates:
    """The states of one lexer, each made when it is first entered."""

    def __init__(self, lexer: RegexLexer, join_after: int) -> None:
        self.lexer = lexer
        self.tokendefs: dict[Any, list[Rule]] = lexer._tokens  # type: ignore[attr-defined]  # the processed rules
        self.states: dict[Any, _State] = {}
        self.join_after = join_after

    def state(self, name: Any) -> _State:
        found = self.states.get(name)
        if found is None:
            found = self.states[name] = _State(self.tokendefs[name], self.join_after)
        return found

    def tokens(self, text: str, stack: Iterable[str] = ("root",)) -> Iterator[tuple[int, _TokenType, str]]:
        """``RegexLexer.get_tokens_unprocessed``, each rule found by its state's joined pattern."""
        lexer = self.lexer
        pos = 0
        statestack = list(stack)
        state = self.state(statestack[-1])
        while True:
            char = text[pos:pos + 1]
            found = _rule_at(text, pos, *(state.by_char.get(char) or state.join_for(char)))
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
                    state = self.state(statestack[-1])
            else:
                try:
                    if text[pos] == "\n":
                        statestack = ["root"]
                        state = self.state("root")
                        yield pos, Whitespace, "\n"
                        pos += 1
                        continue
                    yield pos, Error, text[pos]
                    pos += 1
                except IndexError:
                    break


def _rule_at(text: str, pos: int, joined: Matcher | None, rules: dict[int, Rule],
             one_by_one: list[Rule]) -> tuple[re.Match[str], Any, Any] | None:
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
        candidates = one_by_one if rule is None else [rule]
    else:
        candidates = one_by_one
    for rexmatch, action, new_state in candidates:
        m = rexmatch(text, pos)
        if m:
            return m, action, new_state
    return None


_TRIED_ONE_BY_ONE = 4  # rules or fewer: not joined
#: Tokens beginning with a character (or one sharing with it) that a state lexes rule by rule
#: before it joins its rules for them: joining costs as much as some hundred tokens tried rule by
#: rule, which a short snippet (the one code block of an edited note) never earns back.
JOIN_AFTER = 64
#: …and ``STATE_TOKENS`` times as many tokens that the state lexes rule by rule in all before it
#: joins anything: the first join reads every rule's pattern for the characters it can begin
#: with (a few milliseconds for a lexer's main state), which about a thousand tokens lexed
#: joined pay back. A lexer that highlights a few snippets in a process never joins.
STATE_TOKENS = 16
#: Characters that share the rules joined for them (each rule that can begin with one of them): a
#: token is most often a word or a number, and a state joined for every letter would cost a
#: compiled pattern each. Any other character has its own.
_SHARING = (frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"), frozenset("0123456789"))


class _State:
    """The rules of one state and, by the character a token begins with, the joined pattern of
    the rules that can begin with it (``None``: the state cannot be joined)."""

    def __init__(self, rules: list[Rule], join_after: int) -> None:
        self.rules = rules
        self.join_after = join_after
        self.alternatives = _alternatives(rules)
        self.by_char: dict[str, Joined] = {}  # "" at the end of the text
        self._starts: Callable[[str], tuple[bool, ...]] | None = None
        self._kept: dict[frozenset[str] | str, tuple[int, ...]] = {}
        self._by_rules: dict[tuple[int, ...], Joined] = {}
        self._seen: dict[frozenset[str] | str, int] = {}  # tokens lexed rule by rule, by ``_sharing``
        self._lexed = 0  # tokens lexed rule by rule

    def join_for(self, char: str) -> Joined:
        """The joined pattern and its rules by group for a token beginning with ``char``: the
        rules one by one for the first ``join_after`` tokens beginning with it or a character
        sharing with it, and until the state has lexed ``STATE_TOKENS`` times as many in all."""
        if self.alternatives is None:
            joined: Joined = (None, {}, self.rules)
        elif self.join_after and not self._paid_for(char):
            return None, {}, self.rules
        else:
            kept = self._kept_for(char)
            known = self._by_rules.get(kept)
            joined = known if known is not None else self._by_rules.setdefault(kept, _join(
                [self.alternatives[index] for index in kept], [self.rules[index] for index in kept]))
        self.by_char[char] = joined
        return joined

    def _paid_for(self, char: str) -> bool:
        """Whether joining the rules for ``char`` would pay for itself, counting the token at
        hand among those lexed rule by rule when it would not."""
        group = _sharing(char)
        seen = self._seen.get(group, 0)
        if seen >= self.join_after and self._lexed >= STATE_TOKENS * self.join_after:
            return True
        self._seen[group] = seen + 1
        self._lexed += 1
        return False

    def _kept_for(self, char: str) -> tuple[int, ...]:
        """The rules that can match at a token beginning with ``char`` or a character sharing with it."""
        assert self.alternatives is not None
        key = _sharing(char)
        kept = self._kept.get(key)
        if kept is None:
            if self._starts is None:
                self._starts = _start_tests(self.alternatives)
            can = [self._starts(other) for other in (key if isinstance(key, frozenset) else (char,))]
            kept = self._kept[key] = tuple(index for index in range(len(self.alternatives))
                                           if any(one[index] for one in can))
        return kept


def _sharing(char: str) -> frozenset[str] | str:
    """The characters ``char`` shares joined rules with (``_SHARING``), or itself."""
    return next((chars for chars in _SHARING if char in chars), char) if char else char


def _alternatives(rules: list[Rule]) -> list[str] | None:
    """Each rule's pattern as an alternative of a joined pattern; ``None`` when one cannot be."""
    alternatives = []
    for rule in rules:
        pattern = getattr(rule[0], "__self__", None)
        alternative = _alternative(pattern) if isinstance(pattern, re.Pattern) else None
        if alternative is None:
            return None
        alternatives.append(alternative)
    return alternatives


def _join(alternatives: list[str], rules: list[Rule]) -> Joined:
    """One pattern of the alternatives ``(?flags:rule)()`` and, by the number of each empty group,
    its rule; a few rules are tried one by one instead (their own patterns are compiled, and a
    joined one, holding an identifier's Unicode classes, costs milliseconds to compile)."""
    if len(rules) <= _TRIED_ONE_BY_ONE:
        return None, {}, rules
    try:
        joined = re.compile("|".join(alternatives))
    except re.error:
        return None, {}, rules
    by_group: dict[int, Rule] = {}
    group = 0
    for rule in rules:
        group += rule[0].__self__.groups + 1  # type: ignore[attr-defined]
        by_group[group] = rule
    if joined.groups != group:
        return None, {}, rules
    return joined.match, by_group, rules


def _alternative(pattern: re.Pattern[Any]) -> str | None:
    """``pattern`` as one alternative of a joined pattern, its flags scoped to it (a lexer's
    flags, or ``(?i)`` at the start of one rule) and an empty group after it."""
    if not isinstance(pattern.pattern, str) or pattern.flags & _UNSCOPED or _NUMBERED.search(pattern.pattern):
        return None
    text = pattern.pattern
    leading = _LEADING_FLAGS.match(text)
    letters = "".join(letter for flag, letter in _SCOPED if pattern.flags & flag)
    return f"(?{letters}:{text[leading.end() if leading else 0:]})()"


_LARGEST_SET = 16  # items of a character set read as such
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}


def _start_tests(alternatives: list[str]) -> Callable[[str], tuple[bool, ...]]:
    """For a character (``""``: the end of the text), whether each alternative can begin a match
    with it; every one can that can match empty text or whose start is not plainly a set of
    characters. One pattern tests them all: an optional lookahead group each."""
    tests = []
    for alternative in alternatives:
        sets, empty = _first_sets(re._parser.parse(alternative), 0)
        tests.append(None if sets is None or empty else "|".join(dict.fromkeys(sets)))
    pattern = re.compile("".join(f"(?:(?=({test})))?" for test in tests if test is not None))
    always = tuple(test is None for test in tests)

    def starts(char: str) -> tuple[bool, ...]:
        found = iter(pattern.match(char).groups())  # type: ignore[union-attr]  # every group is optional
        return tuple(True if sure else next(found) is not None for sure in always)
    return starts


def _first_sets(items: Any, flags: int) -> tuple[list[str] | None, bool]:
    """The character sets (as patterns, case flag scoped) a parsed sequence can begin with, and
    whether it can match empty text; ``None``: any character. Lookarounds and anchors match
    no character, so the item after them decides."""
    sets: list[str] = []
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        empty = False
        if op is sre.SUBPATTERN:
            found, empty = _first_sets(value[3], (flags | value[1]) & ~value[2])
        elif op is sre.ATOMIC_GROUP:
            found, empty = _first_sets(value, flags)
        elif op in _REPEATS:
            found, empty = _first_sets(value[2], flags)
            empty = empty or value[0] == 0
        elif op is sre.BRANCH:
            found = []
            for branch in value[1]:
                branch_sets, branch_empty = _first_sets(branch, flags)
                if branch_sets is None:
                    return None, True
                found += branch_sets
                empty = empty or branch_empty
        else:
            one = _character_set(op, value)
            if one is None:
                return None, True
            found = [f"(?i:{one})" if flags & re.IGNORECASE else one]
        if found is None:
            return None, True
        sets += found
        if not empty:
            return sets, False
    return sets, True


def _character_set(op: Any, value: Any) -> str | None:
    """A one-character item as a pattern (a literal, a set); ``None`` for any other item, and for
    a set of many ranges (an identifier's Unicode letters: costly to compile, and most characters)."""
    if op is sre.LITERAL:
        return re.escape(chr(value))
    if op is sre.NOT_LITERAL:
        return f"[^{re.escape(chr(value))}]"
    if op is not sre.IN or len(value) > _LARGEST_SET:
        return None
    parts: list[str] = []
    for kind, item in value:
        if kind is sre.NEGATE:
            parts.insert(0, "^")
        elif kind is sre.LITERAL:
            parts.append(re.escape(chr(item)))
        elif kind is sre.RANGE:
            parts.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
        elif kind is sre.CATEGORY and item in _CATEGORIES:
            parts.append(_CATEGORIES[item])
        else:
            return None
    return f"[{''.join(parts)}]"
