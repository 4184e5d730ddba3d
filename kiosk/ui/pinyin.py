"""Pinyin to Chinese for the on-screen keyboard: a word list (assets/input/pinyin_words.tsv) and the
candidates for what the customer has typed so far. No Qt here, so it is tested without a window."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORDS = Path(__file__).resolve().parents[2] / "assets" / "input" / "pinyin_words.tsv"
COMPLETIONS = 24  # longer words offered for a typed beginning (建国路 for "jiangu")


@dataclass(frozen=True)
class Candidate:
    word: str
    consumed: int  # how many typed letters the word stands for (the rest stay typed)


class PinyinDictionary:
    """Words by their toneless pinyin (ü typed as v), in the order they are offered."""

    def __init__(self, words: dict[str, tuple[str, ...]]) -> None:
        self._words = words
        self._keys = sorted(words)

    @classmethod
    def load(cls, path: Path = WORDS) -> PinyinDictionary:
        words: dict[str, tuple[str, ...]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                key, _, listed = line.partition("\t")
                words[key] = tuple(listed.split())
        return cls(words)

    def _completions(self, typed: str) -> list[str]:
        start = bisect.bisect_left(self._keys, typed)
        found: list[str] = []
        for key in self._keys[start:]:
            if not key.startswith(typed) or len(found) >= COMPLETIONS:
                break
            if key != typed and len(self._words[key][0]) > 1:  # a phrase, not a lone character
                found.append(key)
        return sorted(found, key=len)

    def candidates(self, typed: str) -> list[Candidate]:
        """Words for all the typed letters first (the exact pinyin, then longer words that begin so), then
        words for the longest beginning that is a whole syllable or word (the rest stay typed)."""
        typed = typed.lower()
        out: list[Candidate] = []
        seen: set[str] = set()

        def add(words: tuple[str, ...], consumed: int) -> None:
            for word in words:
                if word not in seen:
                    seen.add(word)
                    out.append(Candidate(word, consumed))

        if not typed:
            return out
        add(self._words.get(typed, ()), len(typed))
        for key in self._completions(typed):
            add(self._words[key][:1], len(typed))
        for length in range(len(typed) - 1, 0, -1):
            if typed[:length] in self._words:
                add(self._words[typed[:length]], length)
                break
        return out


@cache
def default_dictionary() -> PinyinDictionary:
    return PinyinDictionary.load()
