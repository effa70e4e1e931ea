"""Near-duplicate texts: exact copies after normalisation, and near copies by MinHash.

Wire copy (the same AP, Reuters or AFP text in several outlets) and repeated sentences are
not independent evidence of framing, and reading them twice wastes an annotator's time.
:func:`near_duplicate_groups` finds them with word-shingle MinHash signatures, banded
locality-sensitive hashing for candidate pairs, and an exact Jaccard check of each
candidate pair, so the result does not depend on the hashing's chance collisions.
Deterministic: the hash functions are fixed (CRC-32 of the shingle, a seeded family of
universal hashes), not Python's per-process ``hash``.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

__all__ = ["normalise_text", "shingles", "minhash_signatures", "near_duplicate_groups"]

_WORD = re.compile(r"[^\W_]+")
_PRIME = np.int64(2**31 - 1)


def normalise_text(text: str) -> str:
    """Lower-cased words (letters and digits) joined by single spaces.

    Examples
    --------
    >>> from framing.duplicates import normalise_text
    >>> normalise_text("  The FSB -- said:\\n 'so'. ")
    'the fsb said so'
    """
    return " ".join(_WORD.findall(text.lower()))


def shingles(text: str, k: int = 3) -> np.ndarray:
    """CRC-32 hashes of the distinct ``k``-word shingles of a text (its words, if fewer than ``k``)."""
    words = normalise_text(text).split()
    if len(words) < k:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i:i + k]) for i in range(len(words) - k + 1)]
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.int64, count=len(grams)))


def minhash_signatures(texts: Sequence[str], *, num_perm: int = 64, k: int = 3, seed: int = 1) -> np.ndarray:
    """MinHash signatures of the texts' ``k``-word shingle sets.

    Returns
    -------
    ndarray of shape (len(texts), num_perm)
        int64 values; the share of equal entries of two rows estimates the Jaccard
        similarity of the two shingle sets. An empty text has a row of ``2**31 - 1``.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, num_perm, dtype=np.int64)
    b = rng.integers(0, _PRIME, num_perm, dtype=np.int64)
    out = np.full((len(texts), num_perm), _PRIME, dtype=np.int64)
    for i, text in enumerate(texts):
        h = shingles(text, k) % _PRIME
        if len(h):
            out[i] = ((np.outer(a, h) + b[:, None]) % _PRIME).min(axis=1)
    return out


def near_duplicate_groups(
    texts: Sequence[str],
    *,
    threshold: float = 0.8,
    k: int = 3,
    num_perm: int = 64,
    bands: int = 16,
    min_words: int = 1,
) -> np.ndarray:
    """Group texts that are copies or near copies of each other.

    Two texts are near duplicates when the Jaccard similarity of their ``k``-word shingle
    sets is at least ``threshold`` (after :func:`normalise_text`). Groups are the
    connected components of that relation; each text is mapped to the first (lowest
    index) text of its group.

    Parameters
    ----------
    texts : sequence of str
        The texts, in a fixed order (the order decides which copy represents a group).
    threshold : float, default 0.8
        Jaccard similarity from which two texts count as near duplicates.
    k : int, default 3
        Words per shingle.
    num_perm : int, default 64
        MinHash functions; ``bands`` must divide it.
    bands : int, default 16
        LSH bands. Pairs whose signatures agree on a whole band are checked exactly.
    min_words : int, default 1
        Texts with fewer words are never grouped with others (an empty text is no copy).

    Returns
    -------
    ndarray of int
        ``group[i]`` is the index of the first text of ``i``'s group (``i`` itself for
        a text with no copy).

    Examples
    --------
    >>> from framing.duplicates import near_duplicate_groups
    >>> near_duplicate_groups(["The FSB arrested two men on Monday in Moscow.",
    ...                        "the FSB arrested two men on Monday in Moscow",
    ...                        "It rained."]).tolist()
    [0, 0, 2]
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if num_perm % bands:
        raise ValueError(f"bands ({bands}) must divide num_perm ({num_perm})")
    n = len(texts)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    norm = [normalise_text(t) for t in texts]
    eligible = [len(t.split()) >= max(min_words, 1) for t in norm]
    # exact copies after normalisation
    first: dict[str, int] = {}
    for i, t in enumerate(norm):
        if eligible[i]:
            if t in first:
                union(first[t], i)
            else:
                first[t] = i
    if threshold < 1:
        reps = sorted(first.values())
        sets = {i: set(shingles(texts[i], k).tolist()) for i in reps}
        sig = minhash_signatures([texts[i] for i in reps], num_perm=num_perm, k=k)
        rows = num_perm // bands
        checked: set[tuple[int, int]] = set()
        for band in range(bands):
            buckets: dict[bytes, list[int]] = {}
            for pos, key in enumerate(sig[:, band * rows:(band + 1) * rows]):
                buckets.setdefault(key.tobytes(), []).append(pos)
            for members in buckets.values():
                if len(members) < 2:
                    continue
                for x in range(len(members)):
                    for y in range(x + 1, len(members)):
                        i, j = reps[members[x]], reps[members[y]]
                        if (i, j) in checked:
                            continue
                        checked.add((i, j))
                        si, sj = sets[i], sets[j]
                        if si and sj and len(si & sj) / len(si | sj) >= threshold:
                            union(i, j)
    return np.array([find(i) for i in range(n)], dtype=np.int64)
