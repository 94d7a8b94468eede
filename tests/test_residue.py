"""RESIDUE001's comment sections: a count other rules removed, and the long "N thoughts on" heading."""
import scrubber
from scrubber.detectors.residue import TrailingSection

ARTICLE = [
    "The town's library reopened on Monday after a year of repairs to its roof, its windows and its old "
    "heating system, which had failed twice during the coldest weeks of the last two winters.",
    "Readers queued before the doors opened, and the librarians handed out coffee and the new opening "
    "hours, which add two evenings a week and a Sunday morning for families with young children.",
    "The council paid for most of the work, and a group of volunteers raised the rest by selling books "
    "that had been given to the library over the years and could not be kept on its shelves.",
    "A reading room for students will open in the autumn on the first floor, where the old archive was, "
    "with long tables, good lamps and enough sockets for every seat, the head librarian said.",
    "The library will also lend tools, board games and musical instruments from next month, as several "
    "libraries in the region already do, and it asks residents to suggest what else it should lend.",
]
COMMENTS = ["Lou B. says:", "Needed this news, we have missed the reading room all year.",
            "Daddy_Dan says:", "Great to have the Sunday mornings back for the kids."]


def found(lines, removed=frozenset()):
    return {f.index for f in TrailingSection().find(lines, frozenset(removed))}


def test_a_comment_count_another_rule_removed_still_opens_the_comments():
    lines = ARTICLE + ["3 Comments"] + COMMENTS
    count = len(ARTICLE)
    assert found(lines, {count}) >= set(range(count + 1, len(lines)))
    assert not found(lines, {count}) & set(range(count))


def test_a_count_under_every_item_of_a_listing_opens_nothing():
    lines = ARTICLE[:3] + ["12 Comments"] + ARTICLE[3:] + ["4 Comments"] + COMMENTS
    counts = {3, len(ARTICLE) + 1}
    assert found(lines, counts) == set()


def test_a_removed_heading_of_another_kind_opens_nothing():
    # on page dumps, "Related" or "Tags" removed inside the article led to real text below
    lines = ARTICLE + ["Tags"] + COMMENTS
    assert found(lines, {len(ARTICLE)}) == set()


def test_the_titled_comments_heading_is_a_heading_however_long_the_title():
    heading = "23 thoughts on “How the Town Library Got Its Roof, Its Reading Room and Its Sundays Back”"
    article = ARTICLE * 2  # the section stays within the last 15% of the words
    lines = article + [heading] + COMMENTS
    assert found(lines) == set(range(len(article), len(lines)))


def test_the_titled_heading_in_the_other_languages_and_with_a_count_of_one():
    article = ARTICLE * 2
    for heading in ["12 réflexions sur « Quand semer les légumes d'été »", "Una respuesta a «Papel y agua»",
                    "14 reacties op “Ovenschotel met pompoen”", "6 комментариев к записи «Новый трамвай»",
                    "One thought on “How the Town Library Got Its Roof Back”", "Ein Gedanke zu „Unser Garten“"]:
        lines = article + [heading] + COMMENTS
        assert found(lines) == set(range(len(article), len(lines))), heading
    assert found(article + ["12 reflections on a year of gardening"] + COMMENTS) == set()


def test_comments_below_a_counted_heading_go_in_a_full_clean():
    text = "\n".join(ARTICLE + ["3 Kommentare"] + COMMENTS) + "\n"
    result = scrubber.clean(text)
    assert result.text == "\n".join(ARTICLE) + "\n"
    assert {c.rule for c in result.changes if "says" in c.before or "Sunday" in c.before} == {"RESIDUE001"}


def test_a_count_above_the_article_does_not_stop_the_one_below():
    # "Comentarios (87)" in the meta row under the title links to the same comments
    lines = ["Comentarios (87)"] + ARTICLE + ["Comentarios (87)"] + COMMENTS
    bottom = len(ARTICLE) + 1
    assert found(lines, {0, bottom}) >= set(range(bottom + 1, len(lines)))


def test_a_newsletter_platforms_discussion_heading_opens_its_comments():
    """Substack titles its comments "Discussion about this post"; the heading and the comments go."""
    article = ARTICLE * 2
    lines = article + ["Discussion about this post"] + COMMENTS
    assert found(lines) == set(range(len(article), len(lines)))
    assert found(article + ["A discussion about this post's numbers"] + COMMENTS) == set()


def test_a_widget_under_every_entry_is_not_the_heading_of_the_last_one():
    # a live blog prints "Share this post" under each entry: the last entry, below the third copy, is
    # an entry like the others, within the document's last 15% of words
    posts = ARTICLE + ARTICLE[:3] + ["Polls have closed across the region, and the count begins at ten."]
    entries = [[f"{23 - k}:{5 * k:02d} GMT", post] for k, post in enumerate(posts)]
    lines = [line for entry in entries for line in entry + ["Share this post"]]
    last = len(lines) - 3  # the last entry's time stamp
    assert not found(lines) & set(range(last))
    assert not found(lines) & {last, last + 1}
    # printed once, the same line still opens the section below it
    once = ARTICLE + ["Share this post", "Facebook", "X", "Email"]
    assert found(once) == set(range(len(ARTICLE), len(once)))


def test_a_posts_lone_share_button_with_an_answer_below_opens_nothing():
    """A Q&A page's "Share" under an answer, with the next answer's prose below it, is one post's
    button: the answer stays. "Share this:" above the same lines heads a share bar and opens it."""
    answer = ["answered Mar 3, 2022 at 18:21", "Turn on rerere, so git records how you resolved a conflict "
              "and reuses that resolution automatically the next time it comes up."]
    for button, cut in (("Share", False), ("Share this:", True)):
        lines = ARTICLE + [button, *answer]
        assert bool(found(lines)) == cut, button
