"""Tokens with their character offsets, a light stemmer, sentence and clause splitting.

Every index and every query goes through the same `tokenize`, so a label and a sentence that
differ only in case, accents, plural or verb endings ("develops", "developing") meet on the same
normalised token. Tokens keep their offsets so a match can be shown as the words of the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A word is a run of letters/digits, optionally ending in + or # (C++, C#, F#); dots and hyphens
# split words so "node.js" and "full-stack" meet "node js" and "full stack".
WORD = re.compile(r"[^\W_]+[+#]*")
QUALIFIER = re.compile(r"\s*\([^)]*\)\s*")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z0-9•*\-])|\s*[\r\n]+\s*|\s*[•▪●◦■]\s*")
CLAUSE_BREAK = re.compile(r"[,;:()\[\]/|]|\s(?:and|or|as well as|including|such as|with)\s")
LIST_MARKER = re.compile(r"^(?:[-*–—+>]|\d{1,3}[.)]|[a-zA-Z][)])\s+")
"""A list marker opening a line ("- ", "* ", "1. ", "a) "): not part of the sentence."""
MAX_SENTENCE_TOKENS = 60
"""Longer sentences are cut into windows: one embedding of a 300-word line says little."""

_STOPWORD_TEXT = """
    a an and are as at be been being by can could do does for from had has have he her his i if in
    into is it its may me must my of on or our shall she should so such than that the
    their them then there these they this those to us was we were what when where which who
    will with would you your yours ability able experience experienced knowledge strong good
    excellent skills skill proven years year plus etc"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Words that say nothing about which skill is meant (kept in phrases, ignored for spans)."""


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word and where it stands in the original text."""

    text: str
    start: int
    end: int


def fold(text: str) -> str:
    """Lower-case and strip accents (café → cafe) so spellings meet."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately small stemmer: plural and common verb endings (developing → develop,
    analyses → analys, libraries → library), nothing that could merge distinct terms."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, minimum in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= minimum:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: len(word) - len(suffix)] + replacement
            # "running" → "runn" → "run": undo a doubled final consonant left by -ing/-ed.
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]
            return base
    return word


def tokenize(text: str) -> list[Token]:
    """The normalised (folded, stemmed) words of a text with their character offsets."""
    folded = fold(text)
    if len(folded) != len(text):
        # Folding changed lengths (rare ligatures): offsets must still point into `text`.
        return [Token(stem(fold(m.group(0))), m.start(), m.end()) for m in WORD.finditer(text)]
    return [Token(stem(m.group(0)), m.start(), m.end()) for m in WORD.finditer(folded)]


def words(text: str) -> list[str]:
    """The normalised words of a text, without offsets."""
    return [stem(match.group(0)) for match in WORD.finditer(fold(text))]


def strip_qualifier(label: str) -> str:
    """A label without its parenthesised qualifier: "Java (computer programming)" → "Java"."""
    return QUALIFIER.sub(" ", label).strip()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a document: split at sentence punctuation, line
    breaks and bullets; very long sentences are cut into windows of whole words."""
    pieces: list[tuple[int, int]] = []
    position = 0
    for match in SENTENCE_END.finditer(text):
        pieces.append((position, match.start()))
        position = match.end()
    pieces.append((position, len(text)))
    sentences: list[tuple[int, int]] = []
    for start, end in pieces:
        segment = text[start:end]
        stripped = segment.strip()
        marker = LIST_MARKER.match(stripped)
        if marker:
            stripped = stripped[marker.end() :].strip()
        if not stripped or not WORD.search(stripped):
            continue
        offset = start + segment.index(stripped)
        sentences.extend(_windows(stripped, offset))
    return sentences


def _windows(sentence: str, offset: int) -> list[tuple[int, int]]:
    """A sentence as one piece, or as consecutive windows of at most MAX_SENTENCE_TOKENS words."""
    found = list(WORD.finditer(sentence))
    if len(found) <= MAX_SENTENCE_TOKENS:
        return [(offset, offset + len(sentence))]
    windows = []
    for first in range(0, len(found), MAX_SENTENCE_TOKENS):
        chunk = found[first : first + MAX_SENTENCE_TOKENS]
        windows.append((offset + chunk[0].start(), offset + chunk[-1].end()))
    return windows


def split_clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the clauses of a sentence (split at commas, brackets and
    conjunctions), each with at least one word; used to show which words support a skill."""
    clauses: list[tuple[int, int]] = []
    position = 0
    for match in CLAUSE_BREAK.finditer(text):
        clauses.append((position, match.start()))
        position = match.end()
    clauses.append((position, len(text)))
    trimmed = []
    for start, end in clauses:
        segment = text[start:end]
        stripped = segment.strip(" \t.-*'\"")
        if stripped and WORD.search(stripped):
            first = start + segment.index(stripped)
            trimmed.append((first, first + len(stripped)))
    return trimmed or [(0, len(text))]


STOP_TOKENS = frozenset(STOPWORDS | {stem(word) for word in STOPWORDS})
"""Stopwords as `tokenize` writes them (stemmed too): left out of single-word index terms."""
