"""Reading time from a word count."""

from __future__ import annotations

WORDS_PER_MINUTE = 200


def reading_time(word_count: int) -> int:
    """Whole minutes to read `word_count` words, rounded to nearest, at least 1.

    200 words a minute: adults read plain non-fiction at about 240 wpm (Brysbaert, 2019),
    and the posts here are technical, with code whose words are not even counted, so a
    slower pace gives estimates readers actually meet.
    """
    return max(1, (word_count + WORDS_PER_MINUTE // 2) // WORDS_PER_MINUTE)
