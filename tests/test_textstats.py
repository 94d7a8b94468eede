"""textstats.detect_language: the language whose stopword list covers most of the sample's words."""
from __future__ import annotations

import random

from scrubber.textstats import LANGUAGES, detect_language, stopwords


def _plain_detect(words):
    """The definition, list by list: each list's hits, the first best list in LANGUAGES order, and
    no language below 8% of the words."""
    if not words:
        return None, 0.0
    best, best_hits = None, 0
    for lang in LANGUAGES:
        hits = sum(1 for w in words if w in stopwords(lang))
        if hits > best_hits:
            best, best_hits = lang, hits
    share = best_hits / len(words)
    return (best if share >= 0.08 else None), share


def test_detect_language_is_the_list_with_most_hits():
    rng = random.Random(3)
    pool = sorted(set().union(*map(stopwords, LANGUAGES)))
    shared = [w for w in pool if sum(w in stopwords(lang) for lang in LANGUAGES) > 1]
    assert shared  # words in several lists count for each of them
    others = ["river", "bridge", "Fluss", "pont", "мост", "", "1999"]
    for _ in range(300):
        words = rng.choices(pool + shared * 3, k=rng.randrange(0, 30)) + rng.choices(others, k=rng.randrange(0, 60))
        rng.shuffle(words)
        assert detect_language(words) == _plain_detect(words)


def test_detect_language_on_prose():
    assert detect_language("the bridge was opened to traffic in may and it is the oldest".split())[0] == "en"
    assert detect_language("el puente fue abierto en mayo y es el más antiguo de la ciudad".split())[0] == "es"
    assert detect_language("most został otwarty w maju i jest najstarszym mostem w mieście, które go "
                           "nie zamknęło przez wiele lat".split())[0] == "pl"
    # the Polish list holds no word of the English one: English prose is never read as Polish
    assert not stopwords("pl") & stopwords("en")
    assert detect_language("river bridge traffic".split()) == (None, 0.0)


def test_czech_and_polish_prose_are_told_apart():
    """The Czech list holds no word of another list, and Czech and Polish prose, close languages, are
    each read as their own."""
    cs = ("uzavírka potrvá do pátku a řidiči musí počítat s tím, že objížďka povede přes sousední obce, "
          "které nejsou na takový provoz připraveny, protože silnice je úzká").split()
    pl = ("objazd potrwa do piątku i kierowcy muszą liczyć się z tym, że trasa poprowadzi przez sąsiednie "
          "wsie, które nie są przygotowane na taki ruch").split()
    assert detect_language(cs)[0] == "cs" and detect_language(pl)[0] == "pl"
    assert not any(stopwords("cs") & stopwords(lang) for lang in LANGUAGES if lang != "cs")
