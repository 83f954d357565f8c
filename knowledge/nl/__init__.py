"""Dutch language helpers: folding, words, stems, stop words, month names and the lexicon."""
