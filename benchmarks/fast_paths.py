"""The fast paths against the reference code they replace: same output, and how much faster.

On real news (documents sampled from several corpora of the data home), compares

* sentence boundaries: the project's Punkt (the compiled candidate scan of
  ``framing/_speedups.c`` where it is built, else plain-boundary shortcuts, ``str.rfind``
  contexts, leaner realignment in Python) against nltk's ``PunktSentenceTokenizer`` with the same
  parameters, line by line;
* cue spans: :class:`framing.cues.CueDetector` (compiled trie walk, else the
  trie-dispatched pattern) against its
  reference pattern (every term in one alternation, tried at every word start);
* TF-IDF: :class:`framing.features.NgramVectorizer` against scikit-learn's
  ``TfidfVectorizer`` with the shipped model's vocabulary;

and prints, for each, the number of differing items and the speed of both (CPU
seconds); the ``compiled`` column says whether the C scanners were used. Writes ``results/benchmark/fast_paths.csv``. A benchmark, not a test: the
tests check the same equalities on smaller samples.

Run: ``FRAMING_DATA=../shared/corpora python benchmarks/fast_paths.py [--docs 600]``
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("tehran_times", "allsides", "basil", "dailymail_2020", "semeval2023_en", "polnear")


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.process_time()
    out = fn()
    return out, time.process_time() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600, help="documents per corpus")
    parser.add_argument("--out", default=str(ROOT / "results" / "benchmark"))
    args = parser.parse_args()
    import framing
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.cues import CueDetector
    from framing.segment import _punkt_spans, _tokenizer

    try:
        from framing import _speedups  # noqa: F401
        compiled = True
    except ImportError:
        compiled = False

    docs: list[str] = []
    for name in CORPORA:
        frame = framing.load_corpus(name)
        docs += frame["text"].sample(min(len(frame), args.docs), random_state=0).tolist()
    lines = [line for doc in docs for line in doc.split("\n") if line.strip()]
    rows = []

    fast_tok = _tokenizer()
    fast_tok._decide.cache_clear()  # cold: no memoised decisions
    plain_tok = PunktSentenceTokenizer(fast_tok._params, lang_vars=fast_tok._lang_vars)
    ref, t_ref = timed(lambda: [[tuple(span) for span in plain_tok.span_tokenize(x)] for x in lines])
    new, t_new = timed(lambda: [_punkt_spans(fast_tok, x) for x in lines])
    n = sum(map(len, ref))
    rows.append(("Punkt sentence spans", "lines", len(lines), sum(a != b for a, b in zip(ref, new)), n / t_ref, n / t_new))

    texts = [line[s:e] for line, spans in zip(lines, ref) for s, e in spans]
    det = CueDetector()
    ref_c, t_ref = timed(lambda: [[(m.start(), m.end(), (m.lastgroup or "").split("__")[0]) for m in det._regex.finditer(x)]
                                  for x in texts])
    new_c, t_new = timed(lambda: [[(c.start, c.end, c.cue_type) for c in det.detect(x)
                                   if c.cue_type not in ("scare_quote", "direct_quote")] for x in texts])
    rows.append(("cue spans", "sentences", len(texts), sum(a != b for a, b in zip(ref_c, new_c)),
                 len(texts) / t_ref, len(texts) / t_new))

    ours = framing.load_pretrained().vectorizer_
    theirs = TfidfVectorizer(**ours.get_params())
    theirs.__dict__.update({k: v for k, v in ours.__dict__.items() if k.endswith("_") and not k.startswith("_")})
    theirs._tfidf = ours._tfidf
    batches = [texts[i:i + 4096] for i in range(0, len(texts), 4096)]
    ref_m, t_ref = timed(lambda: [theirs.transform(b) for b in batches])
    new_m, t_new = timed(lambda: [ours.transform(b) for b in batches])
    differing = sum(int(((a != b).sum(axis=1) > 0).sum()) for a, b in zip(ref_m, new_m))
    rows.append(("TF-IDF rows", "sentences", len(texts), differing, len(texts) / t_ref, len(texts) / t_new))

    table = pd.DataFrame(rows, columns=["what", "unit", "n", "differing", "reference_per_s", "fast_per_s"])
    table["speed_up"] = (table["fast_per_s"] / table["reference_per_s"]).round(2)
    table["compiled"] = compiled
    table[["reference_per_s", "fast_per_s"]] = table[["reference_per_s", "fast_per_s"]].round()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "fast_paths.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
