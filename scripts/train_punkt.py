"""Train the Punkt sentence-splitter parameters shipped in ``framing/data/punkt_en.json``.

Unsupervised Punkt training (Kiss & Strunk 2006) on English news from the data home,
plus a hand list of abbreviations news uses. The bundled seed corpus is *not* used, so
that the hand-checked seed boundaries (``tests/fixtures/seed_sentences.jsonl``) stay a
fair test. Deterministic: fixed corpora, fixed document order, fixed character budget.

Run: ``FRAMING_DATA=../shared/corpora python scripts/train_punkt.py``
"""
from __future__ import annotations

import argparse
from pathlib import Path

from nltk.tokenize.punkt import PunktTrainer

from framing.corpus import load_corpus
from framing.segment import EXTRA_ABBREVIATIONS, params_to_dict, save_punkt_params

CORPORA = {  # name -> character budget
    "tehran_times": 6_000_000,
    "allsides": 4_000_000,
    "dailymail_2020": 3_000_000,
    "basil": 1_500_000,
    "semeval2023_en": 1_500_000,
    "polnear": 2_000_000,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="framing/data/punkt_en.json")
    parser.add_argument("--min-ortho-count", type=int, default=2,
                        help="drop orthographic context of word types seen fewer times (keeps the file small)")
    args = parser.parse_args()

    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for name, budget in CORPORA.items():
        docs = load_corpus(name)
        used = 0
        chunks = []
        for text in docs["text"]:
            chunks.append(text)
            used += len(text)
            if used >= budget:
                break
        trainer.train("\n\n".join(chunks), finalize=False)
        print(f"{name}: {used:,} characters")
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types.update(EXTRA_ABBREVIATIONS)
    data = params_to_dict(params, min_ortho_count=args.min_ortho_count, type_counts=trainer._type_fdist)
    save_punkt_params(data, Path(args.output))
    print(f"abbreviations: {len(data['abbrev_types'])}, collocations: {len(data['collocations'])}, "
          f"sentence starters: {len(data['sent_starters'])}, ortho types: {len(data['ortho_context'])}")


if __name__ == "__main__":
    main()
