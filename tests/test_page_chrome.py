"""PAGE001: the fast scorer gives exactly the findings of the reference (readable) computation, and
cleaning a page dump twice changes nothing."""
from __future__ import annotations

import random

import pytest

from conftest import CLEAN_DOCS, FIXTURES, SEEDS
from scrubber.detectors.base import Finding, split_example
from scrubber.detectors.page_chrome import PageChromeLine, chrome_lines, feature_group
from scrubber.engine import Cleaner


@pytest.fixture(scope="module")
def det():
    return PageChromeLine()


def _prose_lines():
    out = []
    for path in CLEAN_DOCS:
        out += [x for x in path.read_text(encoding="utf-8").split("\n") if len(x.split()) >= 8]
    return out


CHROME = sorted(chrome_lines())
EXTRA = ["Share", "FACEBOOK", "Twitter", "Read more »", "© 2024 Example Media. All rights reserved.",
         "We use cookies to improve your experience.", "Posted by admin | 12 comments", "Add to cart $19.99",
         "consentwitter", "Sign in | Register", "—", "|", "* * *", "1", "March 3, 2024", "Newsletter:",
         ", and then", "Next »", "Share \udc80 this", "privacy policy", "Privacy Policy", "PRIVACY POLICY", "  Home  ",
         "\t", ""]


def _page(rng: random.Random, prose: list[str]) -> list[str]:
    """A page dump: chrome at the top, a title and its heading, prose with a little chrome inside,
    chrome at the bottom (sizes vary, down to a handful of lines)."""
    title = rng.choice(prose)[:60]
    lines = [title]
    for _ in range(rng.randrange(0, 40)):
        lines.append(rng.choice(CHROME + EXTRA))
    if rng.random() < 0.7:
        lines.append(title.upper() if rng.random() < 0.2 else title)
    for _ in range(rng.randrange(0, 30)):
        lines.append(rng.choice(prose) if rng.random() < 0.8 else rng.choice(CHROME + EXTRA))
    for _ in range(rng.randrange(0, 40)):
        lines.append(rng.choice(CHROME + EXTRA))
    return lines


def _same(det, lines, removed=frozenset()):
    fast = det.find(lines, removed)
    ref = det.reference_find(lines, removed)
    assert [(f.index, f.evidence) for f in fast] == [(f.index, f.evidence) for f in ref]
    return fast


def test_fast_scorer_matches_reference_on_generated_pages(det):
    rng = random.Random(1234)
    prose = _prose_lines()
    acted = 0
    for _ in range(150):
        lines = _page(rng, prose)
        acted += bool(_same(det, lines))
    assert acted >= 30  # the pages are page dumps: the detector acts on many of them


def test_fast_scorer_matches_reference_with_removed_lines(det):
    rng = random.Random(99)
    prose = _prose_lines()
    for _ in range(30):
        lines = _page(rng, prose)
        removed = frozenset(i for i in range(len(lines)) if rng.random() < 0.2)
        found = _same(det, lines, removed)
        assert not {f.index for f in found} & removed


@pytest.mark.parametrize("path", SEEDS + CLEAN_DOCS[:20], ids=lambda p: p.name)
def test_fast_scorer_matches_reference_on_fixtures(det, path):
    _same(det, path.read_text(encoding="utf-8").split("\n"))


def test_fast_scorer_matches_reference_on_own_examples(det):
    for example in det.examples_drop + det.examples_keep:
        lines, _ = split_example(example)
        _same(det, lines)
    lines, marked = split_example(det.examples_drop[0])
    assert {f.index for f in det.find(lines)} == marked


def _other_stage2(det, rng: random.Random) -> dict:
    """A stage 2 of the kind the shipped model does not have (the detector reads both): a linear one
    with random weights, or random boosted trees whose thresholds lie between values the stage-2
    features take on generated pages (as `train_page_model.fit_trees` puts them)."""
    stage2 = det.model["stage2"]
    if "trees" in stage2:
        names = stage2["features"]
        return {"bias": 0.5, "weights": {k: round(rng.uniform(-1.0, 1.0), 4) for k in names},
                "group_means": {g: rng.uniform(-1.0, 1.0) for g in {feature_group(k) for k in names}}}
    names = list(stage2["weights"])
    prose = _prose_lines()
    seen = {k: set() for k in names}
    for _ in range(10):
        f2 = det.scores(_page(rng, prose))[2]
        for k in names:
            seen[k].update(f2[k])
    values = {k: sorted(v) for k, v in seen.items() if len(v) > 1}
    usable = sorted(values)

    def grow(tree, depth):
        k = len(tree["value"])
        for key in tree:
            tree[key].append(None if key in ("feature", "threshold") else -1)
        if depth == 0 or rng.random() < 0.2:
            tree["value"][k] = rng.uniform(-1.5, 1.5)
            return
        name = rng.choice(usable)
        j = rng.randrange(len(values[name]) - 1)
        tree["feature"][k], tree["threshold"][k] = name, (values[name][j] + values[name][j + 1]) / 2
        tree["left"][k] = k + 1  # (the next node added)
        grow(tree, depth - 1)
        tree["right"][k] = len(tree["value"])
        grow(tree, depth - 1)
        a, b = tree["left"][k], tree["right"][k]
        tree["value"][k] = (tree["value"][a] + tree["value"][b]) / 2

    trees = []
    for _ in range(25):
        tree = dict(feature=[], threshold=[], left=[], right=[], value=[])
        grow(tree, 3)
        trees.append(tree)
    return {"kind": "trees", "features": names, "baseline": 0.5, "trees": trees,
            "group_means": {g: rng.uniform(-0.5, 0.5) for g in {feature_group(k) for k in names}}}


def test_the_other_kind_of_stage_2_gives_the_findings_of_the_reference(det):
    """The fast path and the readable one agree for a linear stage 2 and for boosted trees, whichever
    the shipped model has (the training script compares the two)."""
    rng = random.Random(3)
    other = PageChromeLine(model=dict(det.model, stage2=_other_stage2(det, rng)))
    assert ("trees" in other.model["stage2"]) != ("trees" in det.model["stage2"])
    prose = _prose_lines()
    acted = 0
    for _ in range(60):
        lines = _page(rng, prose)
        removed = frozenset(i for i in range(len(lines)) if rng.random() < 0.1)
        acted += bool(_same(other, lines, removed))
    assert acted >= 10


def test_exported_trees_decide_as_scikit_learn_and_explain_their_output():
    """The trees `train_page_model.fit_trees` exports give scikit-learn's log-odds (it checks that on
    the training lines); after a JSON round trip the fast evaluation and the readable walk agree, on
    the training values and at and next to every threshold (x <= threshold goes left); each line's
    feature contributions add up to its log-odds less the trees' root values."""
    pytest.importorskip("sklearn")
    import json
    import sys

    import numpy as np

    from conftest import ROOT
    from scrubber.detectors.page_chrome import TreeEnsemble
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from train_page_model import fit_trees

    rng = np.random.default_rng(0)
    n = 3000
    lengths = rng.integers(1, 400, n)
    X = np.column_stack([np.log1p(lengths), rng.integers(0, 2, n), rng.random(n), np.round(rng.random(n), 1)])
    y = ((X[:, 0] > 3.5) ^ (X[:, 1] > 0) | (X[:, 2] < 0.2)).astype(float)
    names = ["len_log", "before_prose", "p1_self", "p1_win1"]
    spec = fit_trees(X, y, np.ones(n), names, trees=20, depth=3, rate=0.3)
    ens = TreeEnsemble(json.loads(json.dumps(spec)))
    near = np.array([t for tree in spec["trees"] for t in tree["threshold"] if t is not None])
    probe = np.tile(X[:len(near)], (3, 1))
    for shift, block in zip((-1, 0, 1), np.split(probe, 3)):  # every threshold, and the floats either side
        block[np.arange(len(near)), np.arange(len(near)) % 4] = np.nextafter(near, np.inf * shift) if shift else near
    grid = np.vstack([X, probe])
    path = ens.paths(grid)
    z = ens.raw(path)
    walked = [ens.walk(list(x)) for x in grid]
    assert np.allclose(z, [w for w, _ in walked], rtol=0, atol=1e-12)
    roots = ens.baseline + sum(tree["value"][0] for tree in spec["trees"])
    parts = ens.contributions(path, np.arange(len(grid)))
    assert np.allclose(parts.sum(axis=0), z - roots, rtol=0, atol=1e-9)
    assert np.allclose(parts.T, [p for _, p in walked], rtol=0, atol=1e-12)
    mine = TreeEnsemble(spec)
    assert np.array_equal(mine.raw(mine.paths(grid)), z)


# first and last characters whose classes are subtle (digits that are not ASCII, cased letters
# outside the BMP, a lone surrogate), and the separators the fast scorer finds in the joined text
ODD_LINES = ["²⁵ reasons to stay", "Chapter ١٢", "¿Qué pasa?", "»Next page", "“Quoted”", "𝐁old 𝐓ext 😀",
             "𝐚 lower start", "Share \udc80 this", "ǅungla Title", "ß", "Ⅻ", "ﬁne print.", "a|b", "x, y",
             "End. Next", "End.", ". ", "|", "İstanbul İ", ":", "x:", "Ω ω", "0", "९ Devanagari nine"]


def test_fast_line_features_match_line_features(det):
    """The columns the fast scorer computes per distinct line (from the code points of the joined
    text) are those of `line_features`, line by line."""
    from scrubber.detectors.page_chrome import line_features
    lines = list(dict.fromkeys(filter(None, (t.strip() for t in ODD_LINES + CHROME[:40] + _prose_lines()[:40]))))
    st, f = line_features(lines, det.model)
    low = [t.lower() for t in lines]
    c = det._scorer.intrinsic(lines, low, [t.split() for t in low], st.lang)
    for family in ("shape", "stopwords", "vocabulary"):
        for name, col in c["features"][family].items():
            if col.dtype == bool:
                assert list(col.astype(float)) == f[name], name
            else:  # (numpy's log1p may differ from math's in the last bit)
                assert list(col) == pytest.approx(f[name], rel=1e-12), name
    assert list(c["L"]) == [len(t) for t in lines]


def test_cleaning_a_page_dump_twice_changes_nothing():
    """The model weighs the page it is shown, and the next run shows it a smaller page: without the
    second looks of `_settled`, about one generated page dump in five was cleaned further the second
    time (a few in a hundred since the gate on short lines, which the smaller page often fails).
    Checked with settle_rounds = 0 too, so that the test shows it can fail."""
    rng = random.Random(7)
    prose = _prose_lines()
    pages = ["\n".join(_page(rng, prose)) + "\n" for _ in range(120)]
    cleaner = Cleaner()
    page001 = PageChromeLine()  # its own, as the one of Cleaner() serves the whole process
    cleaner.detectors = [page001 if d.id == "PAGE001" else d for d in cleaner.detectors]

    def unsettled() -> int:
        count = 0
        for text in pages:
            once = cleaner.clean(text)
            count += bool(cleaner.clean(once.text).changes)
        return count

    assert unsettled() == 0
    page001.settle_rounds = 0
    assert unsettled() > 0


def test_remembered_looks_give_the_same_findings(det):
    """Looks are remembered within a document (the engine asks after every pass). Asking about a page
    again, or after other pages, gives exactly what a fresh detector finds: nothing is remembered
    from one document to the next. Asked with more lines removed since (short ones, as other rules
    remove), the remembered first look stands, without them; a fresh detector shown the page with
    those lines removed from the start finds the same on almost every page, but may settle on a line
    more or less, since its looks see other neighbours on the way (see `_look`)."""
    rng = random.Random(5)
    prose = _prose_lines()
    pages = [_page(rng, prose) for _ in range(20)]

    def found(findings):
        return [(f.index, f.evidence) for f in findings]

    parted = 0
    for lines in pages + pages[::-1]:
        removed = frozenset(i for i in range(len(lines)) if len(lines[i].split()) < 12 and rng.random() < 0.1)
        assert found(det.find(lines)) == found(PageChromeLine(model=det.model).find(lines))
        parted += found(det.find(lines, removed)) != found(PageChromeLine(model=det.model).find(lines, removed))
    assert parted <= 4  # of 40 (2 when this was written, 2026-11-24)


def test_protected_lines_are_never_found_nor_gone_for_a_later_look(det):
    """Protected lines (Markdown code and tables) are content: never dropped, never gate evidence, and
    still there when the model looks again. Otherwise the later look is at a page the next run never
    sees, and cleaning again removes more (atheris found it: fixtures/fuzz/)."""
    rng = random.Random(11)
    prose = _prose_lines()
    for _ in range(40):
        lines = _page(rng, prose)
        protected = frozenset(i for i in range(len(lines)) if rng.random() < 0.15)
        fast = det.find(lines, protected=protected)
        ref = det.reference_find(lines, protected=protected)
        assert [(f.index, f.evidence) for f in fast] == [(f.index, f.evidence) for f in ref]
        assert not {f.index for f in fast} & protected
    # a page whose only chrome is inside a protected block does not pass the gate
    chrome = ["Home", "Privacy Policy", "Terms of Use", "Contact Us", "Sign In", "Skip to content"]
    body = [rng.choice(prose) for _ in range(12)]
    lines = chrome + body + chrome
    assert det.find(lines)
    assert not det.find(lines, protected=frozenset(range(len(chrome))) | frozenset(range(len(lines) - 6, len(lines))))


def test_fuzz_found_markdown_files_clean_to_a_fixed_point():
    from fuzzchecks import check_format

    for path in sorted((FIXTURES / "fuzz").glob("*.md")):
        check_format("markdown", path.read_bytes())


def test_without_explanations_the_changes_are_the_same_and_faster_to_write():
    """Options(explain=False), what the CLI uses when it writes no log: PAGE001 gives only the keep
    probability as evidence; every change is the same, and with explanations each names features."""
    from scrubber.engine import Options

    rng = random.Random(21)
    prose = _prose_lines()
    full, brief = Cleaner(), Cleaner(options=Options(explain=False))
    seen = 0
    for _ in range(40):
        text = "\n".join(_page(rng, prose)) + "\n"
        a, b = full.clean(text), brief.clean(text)
        assert a.text == b.text
        assert [(c.rule, c.line, c.start, c.end, c.before, c.after) for c in a.changes] == \
               [(c.rule, c.line, c.start, c.end, c.before, c.after) for c in b.changes]
        for ca, cb in zip(a.changes, b.changes):
            if ca.rule == "PAGE001" and ca.action == "drop" and ca.before.strip():
                seen += 1
                assert ca.evidence.startswith(cb.evidence.split(" (")[0])
                assert cb.evidence.split(" (")[0].startswith("p_keep=") and ":" not in cb.evidence
    assert seen > 100


def test_the_cli_explains_in_the_log_only(run_cli, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PageChromeLine.examples_drop[0].replace("[drop] ", "") + "\n", encoding="utf-8")
    log = tmp_path / "log.jsonl"
    code, with_log, err = run_cli("clean", "--isolated", "--log", log, page)
    assert code == 0, err
    code, without, err = run_cli("clean", "--isolated", page)
    assert code == 0 and without == with_log
    import json
    evidence = [json.loads(line).get("evidence", "") for line in log.read_text(encoding="utf-8").splitlines()
                if json.loads(line).get("rule") == "PAGE001"]
    assert evidence and all(": " in e for e in evidence if e.startswith("p_keep="))


def test_later_looks_do_not_eat_an_article_from_the_top():
    """The model drops a page's first line (mostly its <title>); on a later look the first line is the
    next one, and without a guard the looks ate articles a sentence at a time (53 prose lines on 300
    of these generated pages; a 20,000-line window of concatenated pages lost about a hundred). A
    first line that is a sentence stays, and no later look may leave a page without a paragraph.

    A later look sees a smaller page, and the boosted stage 2 is not monotone in the page's own
    features (its size, its share of short lines): near the threshold it can drop one sentence it
    kept before. On 1,800 such pages (seeds 7 to 12, 14,790 prose lines) that happened once
    (2026-11-23); on the 710 dev pages never. What must not come back is the cascade: no page loses
    two prose lines to later looks, and they take under one prose line in a thousand."""
    from scrubber.detectors.lines import is_prose

    cleaner = Cleaner()
    prose = _prose_lines()
    eaten, total = [], 0
    for seed in (7, 8):
        rng = random.Random(seed)
        for _ in range(300):
            page = _page(rng, prose)
            result = cleaner.clean("\n".join(page) + "\n")
            eaten.append([c.before for c in result.changes
                          if c.rule == "PAGE001" and "later look" in c.evidence and is_prose(c.before.strip())])
            total += sum(map(is_prose, page))
    assert max(map(len, eaten)) <= 1
    assert sum(map(len, eaten)) < total / 1000


def test_the_headline_above_the_first_paragraph_stays():
    """decide keeps the nearest headline-shaped line above the first paragraph that stays, past a
    byline, a date and a credit, which are not taken for it."""
    from scrubber.detectors.page_chrome import decide

    text = ["Home", "News", "Hospital Opens New Cancer Treatment Centre", "Photo: Jane Doe / Valley Post",
            "By Jane Doe, Health Correspondent", "Updated: March 4, 2025",
            "The regional hospital opened its new cancer treatment centre on Monday, sparing patients a "
            "two-hour drive to the city for each session of their treatment.", "Privacy Policy"]
    words = [len(t.split()) for t in text]
    p = [0.1, 0.1, 0.2, 0.2, 0.6, 0.2, 0.9, 0.1]
    drop = decide(text, words, p, 0.35)
    assert [t for t, d in zip(text, drop) if not d] == [
        "Hospital Opens New Cancer Treatment Centre", "By Jane Doe, Health Correspondent", text[6]]


@pytest.mark.parametrize("title", ["Episode 142: The Woman Who Catalogued 9,211 Shipwrecks",
                                   "Town Council Regular Meeting Summary — Tuesday, October 14, 2025"])
def test_a_labelled_or_dated_headline_stays(title):
    """A headline may carry a label before a colon, a number with a thousands separator, or the day
    it names after a dash; a credit ("Photo: Jane Doe / Valley Post") and a byline with its comma are
    still no headline."""
    from scrubber.detectors.page_chrome import decide, is_headline

    assert not any(map(is_headline, ["Photo: Jane Doe / Valley Post", "Jane Doe, Senior Reporter",
                                     "Shipwrecks, Archives, Clare, Kilrush"]))
    text = ["Home", "Episodes", title, "Photo: Jane Doe / Valley Post",
            "For forty years a clerk in the harbour master's office kept a card index of every wreck "
            "reported off the coast, and now the archive is leaving her kitchen.", "Privacy Policy"]
    words = [len(t.split()) for t in text]
    p = [0.1, 0.1, 0.2, 0.1, 0.9, 0.1]
    drop = decide(text, words, p, 0.35)
    assert [t for t, d in zip(text, drop) if not d] == [title, text[4]]


def test_a_thread_title_asked_as_a_question_stays_past_the_posts_furniture():
    """A forum thread's or a Q&A page's title is a question, commas and all, and the thread's starter,
    date and the first post's author box may stand between it and the first post: decide keeps the
    nearest question of five words or more within QUESTION_REACH lines. A login box's question, or a
    line that ends a sentence before its question, is not a title."""
    from scrubber.detectors.page_chrome import decide, is_question_title

    title = "Cold start squeal on 2011 Accord 2.4 – belt, tensioner or idler?"
    assert is_question_title(title) and is_question_title("Heizkörper gluckert nach dem Entlüften – was tun?")
    assert not any(map(is_question_title, ["Don't yet have an account?", "Need help?",
                                           "We tested it. Was it worth the money?", "Forums | Help | What's new?"]))
    post = ("Hey all. My 2011 Accord has started squealing for twenty or thirty seconds every cold morning, "
            "and once the engine warms up it goes away completely.")
    furniture = ["Thread starter dmoreno_77", "Start date Jan 14, 2024", "dmoreno_77", "Joined Mar 3, 2021",
                 "Messages 14", "Jan 14, 2024", "#1"]
    text = ["Forums", "What's new", "Honda & Acura Tech", title, *furniture, post, "Reply"]
    words = [len(t.split()) for t in text]
    p = [0.1] * len(text)
    p[text.index(post)] = 0.9
    assert [t for t, d in zip(text, decide(text, words, p, 0.35)) if not d] == [title, post]
    far = ["Forums", title, *furniture, "Quote", "Like", "Report", post, "Reply"]  # eleven lines above
    p = [0.9 if t == post else 0.1 for t in far]
    assert [t for t, d in zip(far, decide(far, [len(t.split()) for t in far], p, 0.35)) if not d] == [post]


def test_in_formatted_text_a_short_heading_its_paragraph_takes_up_stays():
    """In formatted text a heading of one to three words set apart by a blank line, inside the body,
    stays when the paragraph right below takes up all its words in its first sentence ("Consent
    agenda" over "The council approved the consent agenda ..."); a button set apart the same way,
    whose words the paragraph does not say, still goes."""
    from scrubber.detectors.page_chrome import decide, echoed_below

    assert echoed_below("Consent agenda", "The council approved the consent agenda without discussion. It ...")
    assert not echoed_below("Consent agenda", "The council met on Tuesday. It approved the consent agenda.")
    lead = ("The council met on Tuesday evening for its regular session, with six of its seven members "
            "present and the mayor in the chair.")
    para = ("The council approved the consent agenda without discussion, including the minutes of the "
            "November meeting and a contract for street sweeping.")
    for heading, stays in (("Consent agenda", True), ("Get involved", False)):
        text = ["Home", "Meeting summary", lead, heading, para, "Privacy"]  # (the non-blank lines)
        blank_above = [False, False, False, True, True, False]
        words = [len(t.split()) for t in text]
        p = [0.1, 0.4, 0.9, 0.2, 0.9, 0.1]
        drop = decide(text, words, p, 0.35, [False] * len(text), blank_above)
        assert (not drop[3]) is stays, heading


def test_a_title_shaped_line_right_below_the_breadcrumb_stays_past_a_posts_furniture():
    """A forum thread's title stands right below the trail to its board, and the first post's
    furniture can part it from the post by more than a headline's reach: decide keeps the line right
    below a trail (removed or not) within TRAIL_REACH lines of the first paragraph when it is shaped
    as a title, here a sentence title with a colon and a clause. An image's alternative text there is
    no title."""
    from scrubber.detectors.page_chrome import decide

    title = "Год на Btrfs вместо ZFS на домашнем NAS: полёт нормальный, но есть нюансы"
    post = ("Обещал в прошлой теме отписаться, как поживёт массив на Btrfs через год, и вот отписываюсь: "
            "всё работает, но пара нюансов есть.")
    furniture = ["Тема в разделе «NAS и домашние серверы», создана dmitry_k", "Страница 1 из 2 · Вперёд ›",
                 "dmitry_k", "Старожил", "Сообщения: 3 118", "12 мар 2025 в 21:14", "#1"]
    for below, stays in ((title, True), ("Photo of the NAS on the shelf", False)):
        text = ["ЖелезоФорум", "Форумы", "Форумы › Хранение данных › NAS и домашние серверы", below, *furniture,
                post, "Ответить"]
        gone = [t.startswith("Форумы ›") for t in text]
        p = [0.9 if t == post else 0.1 for t in text]
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone)
        assert (not drop[3]) is stays, below


def test_a_headline_with_clauses_parted_from_the_lead_by_removed_lines_stays():
    """A sentence-case headline whose commas join clauses of three words or more stays when only
    lines other rules removed (a credit, a date row) stand between it and the lead; a byline's or a
    place's comma parts are shorter."""
    from scrubber.detectors.page_chrome import decide, is_sentence_title

    title = "Norway's central bank holds rates, signals first cut could come in March"
    assert is_sentence_title(title, clauses=True) and not is_sentence_title(title)
    assert not any(is_sentence_title(t, clauses=True) for t in
                   ["Jane Doe, Senior Reporter at the Daily", "Protesters gather outside parliament in Oslo, Norway"])
    lead = ("Norway's central bank kept its benchmark interest rate unchanged on Tuesday, as expected, but "
            "said inflation had eased enough to begin lowering borrowing costs next year.")
    text = ["Mail", "News", "Finance", title, "Reuters", "Updated Tue, November 17, 2026 at 10:04 AM GMT", lead,
            "Privacy Policy"]
    gone = [t in ("Reuters", text[5]) for t in text]
    words = [len(t.split()) for t in text]
    p = [0.1, 0.1, 0.1, 0.25, 0.1, 0.1, 0.9, 0.1]
    drop = decide(text, words, p, 0.3, gone)
    assert [t for t, d, g in zip(text, drop, gone) if not d and not g] == [title, lead]


def test_in_formatted_text_a_sentence_title_above_a_short_meta_row_stays():
    """In formatted text (blank lines between blocks) the sentence title may stand above a row too
    short to be a title ("Category: Reviews, Piedmont"); in a page dump the row is the nearest line
    and the title is not looked for past it."""
    from scrubber.detectors.page_chrome import decide

    title = "Barolo Bricco delle Viole 2019 by a small estate: our review"
    lead = ("A classic vintage, cool and slow, from one of the highest crus of the village: we opened the "
            "bottle twice over a week to see how it changed.")
    text = ["Wine Hills", "Home | Reviews | Estates", title, "Posted on 3 November 2023 by Lorenzo",
            "Category: Reviews, Piedmont", "4 comments", lead, "Privacy Policy"]
    gone = [t in (text[1], text[3], text[5]) for t in text]
    words = [len(t.split()) for t in text]
    p = [0.1, 0.1, 0.2, 0.1, 0.3, 0.1, 0.9, 0.1]
    blank_above = [False, True, True, True, False, False, True, True]

    def kept(drop):
        return [t for t, d, g in zip(text, drop, gone) if not d and not g]

    assert title in kept(decide(text, words, p, 0.35, gone, blank_above))
    assert title not in kept(decide(text, words, p, 0.35, gone))


def test_lines_the_rules_removed_at_the_edges_count_for_the_gate_while_a_page_dump_is_left():
    """The gate counts edge lines other rules removed ("Basket (0)", a link row) as chrome, unless what
    the rules leave is an article (few short lines): the model is not asked to read it."""
    from scrubber.detectors.page_chrome import chrome_evidence, gate_opens

    model = {"vocab_lines": {}}
    menu = ["Garden Tools", "Basket (0)", "Power Drills", "Help and Contact | Delivery | Returns"]
    prose = ["A paragraph of the article that runs on long enough to read as prose, line %d." % k for k in range(12)]
    page = menu + ["Hand Tools", "Clearance", "Plumbing"] + prose[:3] + ["Trade", "Stores", "Offers"] + menu
    removed = frozenset(i for i, t in enumerate(page) if t in menu)
    flags = [i in removed for i in range(len(page))]
    assert len(chrome_evidence(page, model, stripped=True, removed=flags)) == 4
    assert chrome_evidence(page, model, stripped=True) == []
    assert gate_opens(page, frozenset(), removed, model, stripped=True)
    assert not gate_opens(page, frozenset(), frozenset(), model, stripped=True)
    article = menu + prose + menu
    removed = frozenset(i for i, t in enumerate(article) if t in menu)
    assert not gate_opens(article, frozenset(), removed, model, stripped=True)


def test_a_sentence_case_title_right_above_the_first_kept_paragraph_stays():
    """A title written as a sentence is no headline shape; right above the first paragraph the model
    keeps, it stays all the same. A menu item there, or a title one line further up, does not."""
    from scrubber.detectors.page_chrome import decide

    lead = ("After midnight, the N12 carries the people who keep everything else running, and I rode it "
            "for a month to find out who they are.")
    title = "Why the night bus is the most honest route in the city"
    for above, kept in ((title, True), ("Privacy Policy", False), ("Share this", False)):
        text = ["Subscribe", "Sign in", above, lead, "Terms of Use"]
        drop = decide(text, [len(t.split()) for t in text], [0.1, 0.1, 0.2, 0.9, 0.1], 0.3)
        assert drop[2] is not kept and drop[3] is False
    text = ["Subscribe", title, "Mar 11, 2025", lead, "Terms of Use"]
    drop = decide(text, [len(t.split()) for t in text], [0.1, 0.2, 0.1, 0.9, 0.1], 0.3)
    assert drop[1] is True  # the line right above is a date: no title is taken further up


def test_a_headline_and_its_standfirst_above_player_controls_stay():
    """A sentence-case headline (with a colon after its subject) and the one-sentence summary under
    it, parted from the first paragraph by short lines (video controls) and lines other rules removed,
    stay; a call to action ending in "!", or a pair with a longer line between it and the lead, does
    not."""
    from scrubber.detectors.page_chrome import decide

    title = 'Actress announces exit from "High Tide" and explains why: "I need to look after myself"'
    standfirst = ("The actress, who has played the villain since the first episode, recorded her last scenes "
                  "this week; her character's fate will be revealed in the coming episodes")
    lead = ("The actress confirmed on Thursday that she is leaving the cast of the nine o'clock soap, in a "
            "video posted on social media that passed a million views in a few hours.")
    controls = ["Play video", "Skip ad", "Subtitles", "Full screen"]
    for above, between, kept in ((title, controls, True),
                                 ("Create your free account today!", controls, False),
                                 (title, ["Watch the trailer of the new season here"], False)):
        text = ["Menu", "Celebrities", above, standfirst, "By Newsroom", *between, "Photo: Instagram", lead,
                "Terms of Use"]
        gone = [t in ("By Newsroom", "Photo: Instagram") for t in text]
        p = [0.9 if t == lead else 0.2 for t in text]
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone)
        assert (drop[2], drop[3]) == (not kept, not kept), above


def test_in_a_page_dump_a_date_row_does_not_hide_the_headline_and_standfirst():
    """In a page dump, the story's date alone between the pair and the first paragraph ("Sep 11, 2024")
    is passed like a share button; a headline printed twice is no headline with its standfirst."""
    from scrubber.detectors.page_chrome import decide

    title = "Ridgeway school board votes 4-3 to close Maple Street Elementary"
    standfirst = ("Split decision ends eight months of debate; about 210 students will move to two neighboring "
                  "campuses next fall")
    lead = ("After nearly four hours of public comment that stretched past 11 p.m., the board voted to close "
            "the district's oldest elementary school at the end of the year.")
    for top, kept in (([title, standfirst], True), ([standfirst, standfirst], False)):
        text = ["News", "Schools", *top, "Sep 11, 2024", "Copy article link", lead, "Terms of Use"]
        gone = [t == "Copy article link" for t in text]
        p = [0.9 if t == lead else 0.2 for t in text]
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone)
        assert (drop[2], drop[3]) == (not kept, not kept), top


def test_a_subheading_set_above_its_paragraph_stays_whatever_its_words():
    """In formatted text (blank lines between paragraphs), a short line with a blank line above and
    its paragraph right below, amid kept prose, is a subheading; the same words between blank lines,
    or in a page dump without blank lines, get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    before = ("The award reflected more than a decade of investment in coastal fieldwork, the head of the "
              "school said on Tuesday.")
    after = ("Because many meadows are only exposed on the lowest spring tides, the team is recruiting "
             "volunteer surveyors to record the edges of each patch.")
    text = ["Menu", before, "Get involved", after, "Privacy Policy"]
    words = [len(t.split()) for t in text]
    p = [0.1, 0.9, 0.2, 0.9, 0.1]
    for blank_above, kept in (([False, False, True, False, True], True),   # blank above only
                              ([False, False, True, True, True], False),   # blank lines on both sides
                              (None, False)):                              # no blank lines at all
        drop = decide(text, words, p, 0.35, None, blank_above)
        assert drop[2] is not kept and drop[1] is False and drop[3] is False


def test_a_footer_that_names_the_site_is_not_the_title_heading(det):
    """A page whose first line is the site's name: the footer line that names it again is no
    heading, so the article above it is not taken for what stands above the title (`before_h1`).
    The fast scorer agrees."""
    from scrubber.detectors.page_chrome import line_features

    lines = ["PIXELFRONT", "News", "Reviews", "Guides", "Hollow Tide adds co-op raids and fixes the stamina bug",
             "Brinewater Games has announced the details of the first major update, which arrives next week "
             "with co-op raids, new gear and a long list of fixes.",
             "PixelFront is owned by Respawn Media Inc. | Terms | Privacy | Do Not Sell My Info",
             "© 2026 PixelFront. All rights reserved."]
    _, features = line_features(lines)
    assert sum(features["is_h1"]) == 0 and features["no_h1"][0] == 1.0
    _, with_heading = line_features(["PIXELFRONT"] + lines[1:4] + ["Pixelfront News"] + lines[4:])
    assert with_heading["is_h1"][4] == 1.0  # a line little longer than the first one still is
    _same(det, lines)


def test_evidence_numbers_are_written_as_format_writes_them():
    """The evidence's numbers come from a table of texts (and the family names with them): the same
    texts as `format`, on the grid, between its points, off it and at zero."""
    from scrubber.detectors.page_chrome import _CONTRIBUTION, _P_KEEP
    rng = random.Random(2)
    values = [rng.uniform(-120.0, 1.0) for _ in range(3000)] + [-0.05, -0.049999, -0.1, -0.15, -0.25, -100.0,
                                                              -100.05, -99.95, 0.0, -0.0, -1e-9]
    values += [k / 10 + d for k in range(-1000, 0) for d in (-0.05, 0.05)]
    heads = ("context", ", shape", "")
    which = [rng.randrange(len(heads)) for _ in values]
    assert list(_CONTRIBUTION.after(heads, which, values)) == [h + " " + format(v, "+.1f")
                                                               for h, v in zip(map(heads.__getitem__, which), values)]
    keep = [rng.random() for _ in range(3000)] + [0.0, 1.0, 0.005, 0.015, 0.995, -0.0, 1e-12]
    assert list(_P_KEEP(keep)) == [f"p_keep={q:.2f}: " for q in keep]


def test_findings_built_quickly_are_findings():
    import pickle
    quick, plain = Finding.quick(7, "p_keep=0.10: shape -1.0"), Finding(7, "p_keep=0.10: shape -1.0")
    assert quick == plain and hash(quick) == hash(plain) and repr(quick) == repr(plain)
    assert pickle.loads(pickle.dumps(quick)) == plain
    with pytest.raises(AttributeError):  # (dataclasses.FrozenInstanceError)
        quick.index = 8


def test_decide_keeps_a_first_line_that_is_a_sentence():
    from scrubber.detectors.page_chrome import decide

    text = ["The regional hospital opened its new cancer treatment centre on Monday, sparing patients a "
            "long drive to the city.", "Home", "News", "Privacy Policy",
            "Doctors said the centre would treat four hundred patients a year once all of its rooms are open."]
    words = [len(t.split()) for t in text]
    drop = decide(text, words, [0.1, 0.1, 0.1, 0.1, 0.9], 0.35)
    assert drop == [False, True, True, True, False]


def test_decide_keeps_the_paragraphs_when_none_would_stay():
    # a few sentences amid menus, all scored below the threshold: the page is misread, not all chrome
    from scrubber.detectors.page_chrome import decide

    para = ("Analysts say the next few weeks will be shaped largely by the data due from the central bank "
            "and by the figures for inflation.")
    text = ["Home", "search...", "accedi", para, "share via", para.replace("Analysts", "Traders"), "log in"]
    words = [len(t.split()) for t in text]
    drop = decide(text, words, [0.1, 0.1, 0.1, 0.3, 0.1, 0.2, 0.1], 0.35)
    assert [t for t, d in zip(text, drop) if not d] == [para, para.replace("Analysts", "Traders")]


def _blank_above_of(blocks):
    """(lines, blank_above) of a formatted text given as its blocks (lists of lines)."""
    lines, blank_above = [], []
    for k, block in enumerate(blocks):
        lines += block
        blank_above += [k > 0] + [False] * (len(block) - 1)
    return lines, blank_above


def test_a_block_of_the_body_the_model_mostly_keeps_stays_whole():
    """In formatted text, a block below the first paragraph whose first line and most lines the model
    keeps (a table of specifications, a list of pros and cons right below the last paragraph) is given
    back whole. A block it mostly drops, a long block below the last paragraph, and the same lines in a
    page dump without blank lines get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("The chassis is still milled from a magnesium alloy, which is why the laptop feels warm and "
            "chalky rather than cold in the hand.")
    specs = ["Specs as tested", "Processor", "Core Ultra 7", "Storage", "1TB SSD", "Battery", "70Wh"]
    mostly_kept = [0.9, 0.9, 0.9, 0.2, 0.2, 0.9, 0.2]  # four of seven, the first among them
    mostly_dropped = [0.9, 0.2, 0.2, 0.2, 0.2, 0.9, 0.2]
    for blocks, p_block, given_back in (([["Menu"], [para], specs, [para]], mostly_kept, True),
                                        ([["Menu"], [para], specs, [para]], mostly_dropped, False),
                                        ([["Menu"], [para], [para], specs], mostly_kept, True),  # right below
                                        ([["Menu"], [para], [para], specs * 2], mostly_kept * 2, False)):  # long
        text, blank_above = _blank_above_of(blocks)
        at = text.index("Specs as tested")
        p = [0.1] + [0.9] * (len(text) - 1)
        p[at:at + len(p_block)] = p_block
        words = [len(t.split()) for t in text]
        drop = decide(text, words, p, 0.35, None, blank_above)
        dropped_by_model = [i for i in range(at, at + len(p_block)) if p[i] < 0.35]
        assert all(drop[i] is not given_back for i in dropped_by_model), (blocks[2], p_block)
        assert decide(text, words, p, 0.35, None, None) == [q < 0.35 for q in p]  # a dump: the model's verdict


def test_owned_blocks_below_the_last_paragraph_chain():
    """Below the last paragraph, short blocks the model mostly keeps are owned one after another (a
    match report's line-ups, then its facts block, whose last line the model doubts); a block other
    rules removed whole (tags) or one the model mostly drops ends the chain, and what follows gets the
    model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("The visitors levelled four minutes after the break, when a corner was flicked on at the near "
            "post and the captain headed in at the far one.")
    lineup = ["Home side", "Keeper", "Back four of the home side", "Midfield three of the home side"]
    facts = ["Bookings: three players, all in the second half.", "Referee: a name (a city).",
             "Stadium of the home side. 8,214 spectators."]
    tags = ["Tags: league, home side, visitors"]
    for between, given_back in (([], True), ([tags], False), ([["Most read", "1", "A headline", "2"]], False)):
        blocks = [["Menu"], [para], [para], lineup, *between, facts]
        text, blank_above = _blank_above_of(blocks)
        p = [0.1] + [0.9] * (len(text) - 1)
        p[-1] = 0.3  # the facts block's last line: the model doubts it
        gone = [t in tags for t in text]
        if between and not gone[text.index(between[0][0])]:
            at = text.index(between[0][0])
            p[at:at + len(between[0])] = [0.1, 0.9, 0.1, 0.1]  # a list the model mostly drops
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone, blank_above)
        assert drop[-1] is not given_back, between
        assert not any(drop[text.index(t)] for t in lineup)


def test_an_office_to_contact_right_below_the_body_stays():
    """Below a notice's last block, the office to contact (its heading and name, two fields or more,
    its address and opening hours) is the notice's; a block that also holds a line of another kind,
    or one after a block the model drops (the page's footer), gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("Applications must be sent through the national portal by 6 March, with a copy of an identity "
            "document and a curriculum vitae.")
    office = ["Contacts", "Personnel Office", "Via Roma 12, first floor", "Telephone: 0744 913 226",
              "Email: personnel@town.example", "Monday and Friday: 9:00 - 12:30"]
    for blocks, given_back in (([["Menu"], [para], [para], office], True),
                               ([["Menu"], [para], [para], office + ["Follow the town on social media"]], False),
                               ([["Menu"], [para], [para], ["Rate this page", "1 2 3 4 5"], office], False)):
        text, blank_above = _blank_above_of(blocks)
        p = [0.9 if t == para else 0.1 for t in text]
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, None, blank_above)
        assert all(drop[text.index(t)] is not given_back for t in office[2:]), blocks[-1]


def test_in_formatted_text_a_headline_and_standfirst_win_over_a_nearer_rating():
    """In formatted text the headline-and-standfirst pair is looked for first: a headline-shaped line
    nearer the lead ("Bench Score 4.5 out of 5") does not stand in for the title, and the walk up from
    the lead passes it. A model year in parentheses is allowed in a sentence title."""
    from scrubber.detectors.page_chrome import decide, is_sentence_title

    title = "Vantor Aero 14 (2025) review: the featherweight OLED laptop finally lasts all day"
    assert is_sentence_title(title, colon_after=3) and not is_sentence_title("Photo (Reuters) of the harbour at dawn")
    standfirst = ("The second-generation ultraportable fixes the battery complaints that sank the original, but "
                  "the price has crept up along with it.")
    lead = ("When the first model launched two years ago it was the lightest laptop of its size we had ever "
            "weighed, and the battery was its one real weakness.")
    blocks = [["Reviews", "Deals"], [title], [standfirst], ["By Jane Doe"], ["Bench Score 4.5 out of 5"],
              ["Photo: Reuters"], [lead], ["Privacy Policy"]]
    text, blank_above = _blank_above_of(blocks)
    gone = [t in ("By Jane Doe", "Photo: Reuters") for t in text]
    p = [0.9 if t == lead else 0.1 for t in text]
    words = [len(t.split()) for t in text]
    drop = decide(text, words, p, 0.35, gone, blank_above)
    assert (drop[2], drop[3]) == (False, False) and drop[5] is True
    # in a page dump the nearer headline-shaped line is taken, as before
    drop = decide(text, words, p, 0.35, gone, None)
    assert (drop[2], drop[3], drop[5]) == (True, True, False)


def test_a_figure_between_kept_cells_of_a_record_stays():
    """A line of figures alone ("2026", "#3") that the model drops between two short lines it keeps
    is a cell of the record (a film's year between its title and its running time), and stays. The
    same figure beside a dropped line, beside a long line (a question under its vote count), or
    between lines other rules removed, gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("The chart ranks the titles that users looked up most this week, updated every morning from "
            "the page views of the site.")
    question = "How do I cook and hold pasta for two hundred people at a wedding?"
    cases = (("Scream 7", "1h 54m", None, True),
             ("Scream 7", "1h 54m", {2}, False),       # the title was removed by another rule
             ("Mark as watched", "1h 54m", None, False),  # a dropped neighbour
             ("Scream 7", question, None, False))      # a long neighbour: not a cell
    for above, below, gone_rows, kept in cases:
        for figure in ("2026", "#3", "4.5"):
            text = ["Menu", lead, above, figure, below, "Terms of Use"]
            p = [0.1, 0.9, 0.1 if above == "Mark as watched" else 0.6, 0.1, 0.6, 0.1]
            gone = [i in (gone_rows or ()) for i in range(len(text))]
            drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone)
            assert drop[3] is not kept, (above, figure, below)


def test_a_sentence_running_on_from_a_kept_paragraph_stays():
    """In formatted text, a sentence right below a paragraph the model keeps, with no blank line
    between, is the same post's and stays. Below a line other rules removed, after a blank line, or in
    a page dump without blank lines, it gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("Took me two weekends: I built the tester, replaced both filter caps and the paper caps, and "
            "the hum is down to almost nothing.")
    closing = "Shortwave is still weak, so I'll be reading up on alignment next. Thanks everyone."
    promo = "Subscribe to the newsletter"
    cases = (([para, closing], [False, False], True),               # right below the paragraph
             ([para, promo, closing], [False, False, False], False),  # below a removed line
             ([para, closing], [False, True], False),               # a blank line between
             ([para, closing], None, False))                        # a page dump
    for body, blank_body, kept in cases:
        text = ["Forums", *body, "Reply"]
        blank_above = None if blank_body is None else [False, *blank_body, True]
        p = [0.9 if t == para else 0.1 for t in text]
        gone = [t == promo for t in text]
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone, blank_above)
        assert drop[text.index(closing)] is not kept, (body, blank_body)


def test_a_three_word_title_right_above_the_first_kept_paragraph_stays():
    """Right above the first paragraph the model keeps, a title of three words in sentence case (a docs
    page's "Your first validation", repeated from its sidebar) stays; a button's call with "!" does not,
    and neither does a three-word line one row further up."""
    from scrubber.detectors.page_chrome import decide

    lead = ("In this tutorial you will write a schema for a small CSV file, run the validator against it, and "
            "read the report it produces.")
    for title, kept in (("Your first validation", True), ("Get help today!", False)):
        text = ["Docs", "Installation", title, "Configuration", title, lead, "Privacy Policy"]
        words = [len(t.split()) for t in text]
        p = [0.1, 0.1, 0.1, 0.1, 0.2, 0.9, 0.1]
        drop = decide(text, words, p, 0.3)
        assert [t for t, d in zip(text, drop) if not d] == ([title, lead] if kept else [lead])
    text = ["Docs", "Your first validation", "Jane Doe", lead, "Privacy Policy"]
    drop = decide(text, [len(t.split()) for t in text], [0.1, 0.2, 0.1, 0.9, 0.1], 0.3)
    assert [t for t, d in zip(text, drop) if not d] == [lead]


def test_a_short_heading_over_a_block_the_model_keeps_opens_it():
    """A short heading ("Specs", a restaurant's name) over lines the model keeps all but a quarter of is
    the block's, though the model drops it (a lone name reads as a menu item), and the block is owned
    whole; over a block it drops more of, or over one line, the heading gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("The watch lasted nine days on a charge with the display always on, which is two more than its "
            "predecessor managed in the same test.")
    specs = ["Specs", "Display: 1.43-inch AMOLED", "Battery: up to 9 days", "Weight: 38g", "Strap: 22 mm",
             "Water: 5 ATM", "Price: 249 euros"]
    for p_block, given_back in (([0.1, 0.9, 0.9, 0.9], True), ([0.1, 0.9, 0.2, 0.9], False),
                                ([0.1, 0.9], False), ([0.1, 0.2, 0.9, 0.9, 0.9, 0.9, 0.9], True),
                                ([0.1, 0.2, 0.9, 0.2, 0.9, 0.9, 0.9], False)):
        blocks = [["Menu"], [para], specs[:len(p_block)], [para]]
        text, blank_above = _blank_above_of(blocks)
        at = text.index("Specs")
        p = [0.1] + [0.9] * (len(text) - 1)
        p[at:at + len(p_block)] = p_block
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, None, blank_above)
        assert drop[at] is not given_back, p_block
        assert drop[at + 1] is not given_back or p[at + 1] > 0.35, p_block


def test_a_record_of_fields_the_model_mostly_keeps_is_owned_whole():
    """A block of labelled fields with no heading (a course's start date, duration, campus and mode)
    of which the model keeps most is owned whole, its first field too; with a label twice, or a line
    that is no field, the first line gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("Learn to manage the pressures on our coasts and seas, from erosion and flooding to offshore "
            "energy and fisheries, on a course built around fieldwork.")
    record = ["Start date: September 2025", "Duration: 1 year full-time", "Location: Harbourside Campus",
              "Study mode: Full-time or part-time"]
    for fields, given_back in ((record, True), ([record[0], *record[1:3], "Duration: 2 years part-time"], False),
                               ([record[0], *record[1:3], "Apply now"], False)):
        text, blank_above = _blank_above_of([["Menu"], [para], fields, [para]])
        at = text.index(record[0])
        p = [0.1] + [0.9] * (len(text) - 1)
        p[at] = 0.2
        drop = decide(text, [len(t.split()) for t in text], p, 0.35, None, blank_above)
        assert drop[at] is not given_back, fields


def test_a_list_a_paragraph_introduces_with_a_colon_stays():
    """The short lines right below a kept paragraph that ends in a colon are its list ("I tried, in
    roughly this order:" over "Giveaways", "Paid social ads"), given back when a kept paragraph follows
    them, in formatted text and in a page dump alike. Without the colon, with a line other rules
    removed among them, or with no paragraph kept below, they get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    intro = "For the first year I did what the growth guides told me to do, and I tried, in roughly this order:"
    items = ["Giveaways", "Paid social ads", "Subscribe pop-ups on every page"]
    after = ("The giveaways brought in about six hundred people in a fortnight, and most of them had stopped "
             "opening within two months.")
    lead = "When I closed the bookshop in the autumn I had a mailing list of three hundred people and no plan."
    cases = ((intro, after, None, True), (intro.rstrip(":") + ".", after, None, False),
             (intro, after, "Paid social ads", False), (intro, "Privacy Policy", None, False))
    for above, below, removed, kept in cases:
        text = ["Menu", lead, above, *items, below, "Terms"]
        p = [0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.9 if below == after else 0.1, 0.1]
        gone = [t == removed for t in text]
        for blank_above in (None, [False, True, True, True, False, False, True, True]):
            drop = decide(text, [len(t.split()) for t in text], p, 0.35, gone, blank_above)
            assert [drop[text.index(t)] for t in items if t != removed] == [not kept] * (3 - bool(removed)), \
                (above[-1], below, removed, blank_above)


def test_a_number_with_thousands_separator_leaves_a_sentence_title_a_title():
    """'5,000' is a number, not a list: a sentence title holding one stays a title; a comma between
    words still marks a byline or a place."""
    from scrubber.detectors.page_chrome import is_sentence_title

    assert is_sentence_title("How I got to 5,000 readers without a single ad")
    assert not is_sentence_title("Jane Doe, Senior Reporter at the Daily")


def test_an_event_details_block_is_the_texts():
    """In formatted text, a block giving an event's date with its year, a time of day and a place (or two
    field labels) stays when it stands among the article's paragraphs or right above the first one
    (only lines other rules removed between); the title above such a block is still found. A footer's
    address with opening hours, a comment's dated header, and the same block in a page dump without
    blank lines get the model's verdict."""
    from scrubber.detectors.page_chrome import decide, details_block

    details = ["Date", "Saturday, June 13, 2026", "Time", "10:00 AM – 4:00 PM", "Location", "Harwick Civic Plaza"]
    service = ["Visitation", "Thursday, March 14, 2024", "4:00 PM – 7:00 PM", "Holloway Funeral Home",
               "118 West Bridge Street, Millbrook, PA 17058"]
    assert details_block(details) and details_block(service)
    assert not details_block(["City Hall", "500 Main Street", "Harwick, OR 97381",
                              "Hours: Monday – Friday, 8:00 AM – 5:00 PM"])  # no dated day
    assert not details_block(["Jane Doe", "March 3, 2024 at 10:12 am", "Reply"])  # no place
    assert not details_block(["Saturday, June 13, 2026", "Harwick Civic Plaza"])  # no time of day

    para = ("The market returns to the civic plaza for its sixth summer, bringing together more than seventy "
            "local artisans, growers and small food producers.")
    title = "Riverside Makers Market Returns"
    credit = "Photo courtesy of the Parks Department"
    for blocks in ([["Menu"], [title], details, [credit], [para], [para]],  # above the first paragraph
                   [["Menu"], [title], [para], service, [para]]):  # among the paragraphs
        block = blocks[2] if blocks[2] is details else blocks[3]
        text, blank_above = _blank_above_of(blocks)
        p = [0.1 if t in block or t in ("Menu", title) else 0.9 for t in text]
        gone = [t == credit for t in text]
        words = [len(t.split()) for t in text]
        drop = decide(text, words, p, 0.3, gone, blank_above)
        kept = [t for t, d, g in zip(text, drop, gone) if not d and not g]
        assert kept == [t for t in text if t not in ("Menu", credit)]
        assert decide(text, words, p, 0.3, gone, None)[text.index(block[1])]  # a dump: the model's verdict
    # below the last paragraph (a related event's box), the block gets the model's verdict
    text, blank_above = _blank_above_of([[title], [para], [para], service])
    p = [0.9] * 3 + [0.1] * len(service)
    drop = decide(text, [len(t.split()) for t in text], p, 0.3, None, blank_above)
    assert all(drop[3:])


def test_a_title_may_end_with_its_own_acronym():
    """A name's acronym in parentheses after it ("Winter Heating Assistance Program (WHAP)") leaves a
    title a title; a credit in parentheses ("(AFP)"), whose letters are not the initials before it,
    does not."""
    from scrubber.detectors.page_chrome import decide, is_headline, is_sentence_title

    assert is_headline("Winter Heating Assistance Program (WHAP)")
    assert is_sentence_title("Organización Mundial de la Salud (OMS)")
    assert not is_headline("Migrants Arrive at the Port of Lampedusa (AFP)")
    assert not is_sentence_title("Migrants arrive at the port of Lampedusa (AFP)")
    lead = ("The program helps households on a low income pay their heating bills between November and March, "
            "and it is open to owners and renters alike.")
    for title, kept in (("Winter Heating Assistance Program (WHAP)", True), ("Protest in the city centre (AP)", False)):
        text = ["Home", "Benefits", title, lead, "Privacy"]
        drop = decide(text, [len(t.split()) for t in text], [0.1, 0.1, 0.1, 0.9, 0.1], 0.3)
        assert drop[2] is not kept, title


def test_a_span_of_dates_under_a_kept_title_stays():
    """A person's life dates under their name, above the first paragraph, stay; a single date there is
    the page's date row and gets the model's verdict, as does a span under a line the model drops."""
    from scrubber.detectors.page_chrome import decide

    lead = ("Eleanor Ruth Kessler, 87, of Millbrook, passed away peacefully on Saturday at the care home "
            "where she had lived since her husband's death.")

    def kept(second, under_share_row=False):
        top = ["Eleanor Ruth Kessler", "Share Obituary", second] if under_share_row else \
            ["Eleanor Ruth Kessler", second, "Share Obituary"]
        text = ["Home", "Obituaries", *top, lead, "Privacy Policy"]
        words = [len(t.split()) for t in text]
        drop = decide(text, words, [0.1, 0.1, 0.6, 0.1, 0.1, 0.9, 0.1], 0.3)
        return second in [t for t, d in zip(text, drop) if not d]

    assert kept("June 2, 1936 – March 9, 2024") and kept("(1931–2009)") and kept("12. Mai 1931 – 3. Februar 2009")
    assert not kept("March 9, 2024")
    assert not kept("June 2, 1936 – March 9, 2024", under_share_row=True)


def test_a_title_named_by_the_breadcrumb_above_it_stays():
    """A one-word page title that repeats the last item of the breadcrumb above it stays; the same word
    under a menu joined by "|" gets the model's verdict, as does a line the trail does not name."""
    from scrubber.detectors.page_chrome import decide

    lead = ("Everything we have shipped this year, newest first: small fixes go out almost every day, and "
            "we write up the changes that are worth your attention here.")

    def kept(trail, title="Changelog"):
        text = ["Product | Pricing | Docs", trail, title, lead, "Privacy Policy"]
        words = [len(t.split()) for t in text]
        drop = decide(text, words, [0.1, 0.1, 0.1, 0.9, 0.1], 0.3)
        return title in [t for t, d in zip(text, drop) if not d]

    assert kept("Home / Changelog") and kept("Accueil » Guide de l’utilisateur » Changelog")
    assert not kept("Home | Changelog") and not kept("Home / Changelog", title="Releases")


def test_a_title_that_names_the_last_crumb_stays():
    """Right below the trail, a title that holds the trail's last item among more words stays, though
    its comma and parentheses fail the title tests; a sentence, a line without the item, or an item
    of three letters gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("Our night team on the ward cares for adult patients after surgery, supported by a charge nurse "
            "and two care technicians on every shift.")

    def kept(title, trail="Careers › Nursing › Medical-Surgical"):
        text = ["Search jobs | Benefits | Sign in", trail, title, lead, "Privacy Policy"]
        drop = decide(text, [len(t.split()) for t in text], [0.1, 0.1, 0.1, 0.9, 0.1], 0.3)
        return title in [t for t, d in zip(text, drop) if not d]

    assert kept("Registered Nurse – Medical-Surgical, 4 West (Nights)")
    assert not kept("Registered Nurse – Cardiology, 4 West (Nights)")
    assert not kept("We are hiring for Medical-Surgical, apply today.")
    assert not kept("Registered Nurse – FAQ, 4 West (Nights)", trail="Careers › Nursing › FAQ")


def test_a_field_right_below_a_kept_field_stays():
    """A labelled field the model drops right below one it keeps stays: the last row of a book's
    details. A field whose label repeats on the page (a grid's "Option: ...") and a field below one
    the model drops get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("The novel moves between two summers on the mudflats, and the second of them, told by the "
            "daughter, is where the writing is at its best and most patient.")

    def kept(rows, p_rows, line="Prijs: € 23,99"):
        text = ["Home | Boeken | Recensies", lead, *rows, line, "Deel deze recensie", "© 2026 Boekblad"]
        p = [0.1, 0.9, *p_rows, 0.1, 0.1, 0.1]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3)
        return not drop[text.index(line)]

    assert kept(["Titel: De stilte van het wad", "Pagina's: 312"], [0.9, 0.9])
    assert not kept(["Titel: De stilte van het wad", "Pagina's: 312"], [0.9, 0.1])
    assert not kept(["Prijs: € 19,99", "Pagina's: 312"], [0.9, 0.9])
    assert not kept(["Titel: De stilte van het wad", "Bestel bij de boekhandel"], [0.9, 0.9])


def test_a_cookie_sentence_on_the_first_line_does_not_hide_the_title():
    """In formatted text, a first line kept only because it is a sentence (a cookie notice) is not the
    article's lead: the title above the first paragraph the model keeps is still found and kept."""
    from scrubber.detectors.page_chrome import decide

    cookie = ("This site uses cookies to improve your experience and to show advertising suited to your "
              "interests. By continuing you accept our cookie policy.")
    lead = ("Three years of programmes and dozens of announced measures later, house prices still rise "
            "faster than wages. The problem is no longer a lack of laws.")
    text = [cookie, "Accept and close", "News", "Opinion", "Housing will not be fixed by decree", lead,
            "© 2026 The Courier"]
    p = [0.08, 0.04, 0.05, 0.1, 0.17, 0.9, 0.1]
    words = [len(t.split()) for t in text]
    blank_above = [False, False, True, False, True, True, True]
    drop = decide(text, words, p, 0.3, [False] * len(text), blank_above)
    assert not drop[4] and not drop[5] and not drop[0]
    assert drop[1] and drop[3] and drop[6]


def test_pros_and_cons_below_the_text_stay():
    """A review's pros and cons (a label of the good points, its items, a label of the bad points, its
    items) stay below the last paragraph. A "Pro" label with no cons label after it (a pricing page's
    plan) and the offers that follow the cons in a dump ("$898.00 from Lowe's") get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("The lighthouse keeper's radio is the only voice you hear for a week, and the game makes every "
            "one of its crackling conversations count.")

    def kept(rows):
        text = ["News | Reviews | Forum", lead, *rows, "© 2026 GameSite"]
        p = [0.1, 0.9] + [0.1] * len(rows) + [0.1]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3)
        return [t for t, d in zip(text[2:-1], drop[2:-1]) if not d]

    review = ["Plusy:", "+ gęsty klimat", "+ świetny dźwięk", "Minusy:", "- nierówne tempo"]
    assert kept(review) == review
    assert kept(["Pros", "Fast cycles", "Cons", "Loud at times", "$898.00 from Lowe's"]) == [
        "Pros", "Fast cycles", "Cons", "Loud at times"]
    assert kept(["Free", "Add a website", "Pro", "Get started", "Business"]) == []
    assert kept(["Pros", "Cons", "Loud at times"]) == []


def test_table_rows_beside_kept_rows_stay():
    """The rows of a two-column table that the model drops beside a row it keeps stay, above it and
    below it, and so do the rows of a list of marks under a short heading it keeps; a table of which
    the model keeps no row, and rows whose label repeats (a grid), get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("The phone is no all-rounder, but a very sensible one: two days of battery, a bright screen "
            "and five years of updates for under four hundred euros.")

    def kept(rows, p_rows):
        text = ["Home | Tests | Deals", lead, *rows, "Newsletter", "© 2026 TechSite"]
        p = [0.1, 0.9, *p_rows, 0.1, 0.1]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3)
        return [t for t, d in zip(text[2:-2], drop[2:-2]) if not d]

    table = ["Display | 6,6 Zoll, 120 Hz", "Akku | 5.500 mAh", "Gewicht | 201 g", "Preis | 379 Euro"]
    assert kept(table, [0.9, 0.9, 0.1, 0.1]) == table
    assert kept(table, [0.1, 0.1, 0.1, 0.9]) == table  # a product page's specs, its last row read as text
    assert kept(table, [0.1, 0.1, 0.1, 0.1]) == []
    grid = ["Preis | 379 Euro", "Preis | 349 Euro", "Preis | 329 Euro"]
    assert kept(grid, [0.9, 0.1, 0.1]) == grid[:1]
    # a list of marks right under a short heading the model keeps is owned whole; under a sentence it
    # gets the model's verdict
    ratings = ["Vasco Lima – 6", "Pedro Anjos – 4", "Rúben Sequeira – 8"]
    assert kept(["As notas do Ribadouro", *ratings], [0.9, 0.1, 0.1, 0.1]) == ["As notas do Ribadouro", *ratings]
    assert kept(["Here are the marks.", *ratings], [0.9, 0.1, 0.1, 0.1]) == ["Here are the marks."]


def test_a_block_of_fields_below_the_body_stays():
    """In formatted text, a block of labelled fields right below the body's last owned block (a match
    report's referee and bookings under its scorers) stays; a block with a line that is no field, or
    with a label twice, gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("Castellani scored twice in the last twenty minutes and the home side, down to ten men, held "
            "on through four minutes of added time to take the derby.")

    def kept(fields):
        text = [lead, "Scorers", "Brunetti 22'", "Castellani 90'", *fields, "Tags: Serie B", "© 2026 CalcioSite"]
        p = [0.9, 0.9, 0.9, 0.9] + [0.1] * len(fields) + [0.1, 0.1]
        blank_above = [False, True, False, False, True] + [False] * (len(fields) - 1) + [True, True]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3, [False] * len(text), blank_above)
        return [t for t, d in zip(text[4:-2], drop[4:-2]) if not d]

    facts = ["Referee: Marchetti of Ostia.", "Booked: Ricci, Gomes, Costa."]
    assert kept(facts) == facts
    assert kept(["Referee: Marchetti of Ostia.", "Share this article"]) == []
    assert kept(["Booked: Ricci.", "Booked: Gomes."]) == []


def test_a_spaced_heading_between_kept_paragraphs_stays():
    """In formatted text, a heading of four to six words with blank lines on both sides, between a kept
    paragraph (an inline signup box that other rules removed in between) and the kept paragraph
    below, stays; a longer line, a button's two words, or a heading below a line the model drops,
    get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    para = ("The turning point was an embarrassingly simple change: I stopped ending every post with a "
            "paragraph asking people to share it with their friends.")

    def kept(heading, p_above=0.9):
        text = ["Home | Archive | About", para, para, "Type your email...", "Subscribe", heading, para]
        gone = [False, False, False, True, True, False, False]
        blank_above = [False, True, True, True, False, True, True]
        p = [0.1, 0.9, p_above, 0.1, 0.1, 0.1, 0.9]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3, gone, blank_above)
        return not drop[5]

    assert kept("Stop asking people to subscribe")
    assert not kept("Seven ways to grow a newsletter without asking anyone")
    assert not kept("Stop asking people to subscribe", p_above=0.1)
    assert not kept("More: our growth guide") and not kept("Get involved")


def test_a_title_over_a_card_of_fields_stays():
    """In formatted text, a short line right above three labelled fields or more of which the model
    keeps all but a quarter (a film's card) stays; over two fields, over a field whose label repeats,
    over fields the model mostly drops, or in a page dump, it gets the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    lead = ("The film follows the last ferryman of a village on the lake, and the slow winter in which "
            "everyone around him learns the crossing will close for good.")

    def kept(fields, formatted=True, p_fields=None):
        text = ["Home | Films | Reviews", lead, "The Last Ferry (2025)", *fields, lead, "© 2026 FilmSite"]
        p = [0.1, 0.9, 0.1] + (p_fields or [0.9] * len(fields)) + [0.9, 0.1]
        blank_above = [False, True, True] + [False] * len(fields) + [True, True]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3, [False] * len(text),
                      blank_above if formatted else None)
        return not drop[2]

    card = ["Director: Anna Kornilova", "Cast: Alexei Gordeev, Maria Lapteva", "Year: 2025"]
    assert kept(card)
    assert not kept(card[:2])
    assert not kept(["Year: 2025", "Year: 2024", "Year: 2023"])
    assert not kept(card, formatted=False)
    assert kept(card + ["Country: Russia"], p_fields=[0.9, 0.9, 0.2, 0.9])
    assert not kept(card, p_fields=[0.9, 0.2, 0.9])


def test_a_lower_case_alias_in_parentheses_ends_a_title_and_a_credit_does_not():
    """A dish's other name in parentheses at the end of a title ("... erwtensoep (snert)") leaves it a
    title; a credit's capitalised parentheses ("(AFP)") still mark a caption. phpBB's trail ("Board
    index ‹ Forum ‹ Topic") is a breadcrumb like the others."""
    from scrubber.detectors.lines import crumb_last
    from scrubber.detectors.page_chrome import is_sentence_title

    assert is_sentence_title("Echte Hollandse erwtensoep (snert)")
    assert not is_sentence_title("Firefighters at the scene on Tuesday (AFP)")
    assert crumb_last("Board index ‹ Water Features ‹ Pond Problems & Water Quality") == "pond problems & water quality"


def test_a_last_post_with_the_threads_buttons_below_it_stays():
    """A thread's last reply, which the model drops, stays when the buttons that close the opening
    post and another kept post stand below it, with a closing line that ends as a sentence; an
    article whose comments end with "Reply" (its first paragraphs end with other lines) and a
    thread whose last post lacks the buttons get the model's verdict."""
    from scrubber.detectors.page_chrome import decide

    def post(n):
        return (f"Reply number {n}: I had the same cracks in my screed and tapping with a hammer showed "
                "where it had lifted from the slab below.")

    def kept(opening_buttons=("Quote", "Reply"), last_buttons=("Quote", "Reply")):
        text = ["Forum | Rules | Search", "Cracks in the screed after two weeks", post(0), *opening_buttons,
                "builder_77", post(1), "Quote", "Reply", "floor_fan", post(2), "Quote", "Reply",
                "late_poster", post(3), "Thanks, all!", *last_buttons, "Similar threads", "© 2026 FloorForum"]
        p = [0.9 if t.startswith("Reply number") and t != post(3) else 0.1 for t in text]
        drop = decide(text, [len(t.split()) for t in text], p, 0.3)
        survivors = [t for t, d in zip(text, drop) if not d]
        return post(3) in survivors and "Thanks, all!" in survivors

    assert kept()
    assert not kept(opening_buttons=("Read next",))
    assert not kept(last_buttons=("Share",))


def test_a_numbers_comma_is_no_comma_of_a_list_in_a_title():
    """Decimal commas ("3,1%") and thousands separators ("9,211") leave a title a title; a comma
    between words still marks a byline or a place."""
    from scrubber.detectors.page_chrome import is_headline, is_sentence_title

    assert is_sentence_title("La inflación de octubre fue de 3,1% y acumula 38,4% en lo que va del año")
    assert is_headline("Shares Fall 2,5% as 9,211 Jobs Go at the Plant")
    assert not is_sentence_title("Jane Doe, Senior Reporter at the Daily Planet")
