"""Edge-scoped rules act only outside the article body; a line one of them names inside the body is
still open to the rules that act anywhere."""
import scrubber

PARAGRAPH = ("The council met on Tuesday to discuss the budget for the coming year and the plans for new "
             "roads across the district.")


def test_an_edge_rule_inside_the_body_leaves_the_line_to_the_others():
    # MENU014's horizontal menu (edge-scoped, first in the catalogue) and RELATED002's teaser label
    # (anywhere) both match: inside the body, RELATED002 must still act.
    teaser = "RELATED | Markets | Economy | Housing"
    result = scrubber.clean("\n".join([PARAGRAPH, teaser, PARAGRAPH]) + "\n")
    assert [(c.rule, c.before.strip()) for c in result.changes] == [("RELATED002", teaser)]


def test_an_edge_rule_alone_does_not_act_inside_the_body():
    byline = "By Jane Doe"  # META006, edge-scoped; no rule that acts anywhere takes it
    result = scrubber.clean("\n".join([PARAGRAPH, byline, PARAGRAPH]) + "\n")
    assert result.changes == []
    result = scrubber.clean("\n".join([byline, PARAGRAPH, PARAGRAPH]) + "\n")
    assert [c.rule for c in result.changes] == ["META006"]


def test_a_standfirst_does_not_start_the_body():
    # the lone prose line under the title, then the byline, date and share label, then the article
    standfirst = "The council says new roads and a bus lane will cut the queues on the ring road by half."
    top = ["By Jane Doe", "2 hours ago", "Share"]
    text = "\n".join(["Council backs ring road plan", standfirst, *top, PARAGRAPH, PARAGRAPH, PARAGRAPH]) + "\n"
    result = scrubber.clean(text)
    assert sorted(c.before.strip() for c in result.changes if c.action == "drop") == sorted(top)


def test_lines_between_two_paragraphs_stay_inside_the_body():
    # the same lines after the first paragraph of the article are inside it: edge rules leave them
    text = "\n".join([PARAGRAPH, PARAGRAPH, "By Jane Doe", "Share", PARAGRAPH]) + "\n"
    assert scrubber.clean(text).changes == []


def test_a_subheading_above_a_paragraph_is_not_next_to_a_removed_line():
    # A photo credit goes (anywhere); the one-word subheading under it heads the next paragraph and
    # stays, though FOOTER007 (edge-scoped) names the same word as a footer's accessibility link.
    credit = "Photo: Jane Doe/Getty Images"
    text = "\n".join([PARAGRAPH, credit, "Accessibility", PARAGRAPH]) + "\n"
    result = scrubber.clean(text)
    assert [c.before.strip() for c in result.changes if c.action == "drop"] == [credit]
    # The same word above a line that is not prose is still taken as the footer link it is.
    text = "\n".join([PARAGRAPH, credit, "Accessibility", "Privacy Policy  |  Terms"]) + "\n"
    dropped = [c.before.strip() for c in scrubber.clean(text).changes if c.action == "drop"]
    assert "Accessibility" in dropped


def test_the_items_of_a_list_the_article_introduces_stay():
    # An article about consent lists the purposes one per line, under its own sentence ending in a
    # colon and above its next paragraph: COOKIE001 and AD001 name two of the items, which stay.
    intro = "Most consent tools group cookies into four purposes, and the choice applies to each one:"
    items = ["Strictly necessary", "Functional", "Analytics", "Advertising"]
    block = "\n".join([intro, *items, PARAGRAPH])
    result = scrubber.clean(f"{PARAGRAPH}\n\n{block}\n\n{PARAGRAPH}\n")
    assert result.changes == []
    # The same lines with no blank lines around them (a page dump's menus after a sentence), or
    # under a line that is no sentence, are the labels those rules take them for.
    for text in (f"{PARAGRAPH}\n{block}\n{PARAGRAPH}\n",
                 "\n".join([PARAGRAPH, "", "Cookie settings:", *items, PARAGRAPH, "", PARAGRAPH]) + "\n"):
        dropped = [c.before.strip() for c in scrubber.clean(text).changes if c.action == "drop"]
        assert "Strictly necessary" in dropped and "Advertising" in dropped
    # Cleaning the cleaned list again changes nothing.
    assert scrubber.clean(result.text).changes == []
    # A longer line in the list's place is no item: an ad label with its pitch still goes.
    ad = "Sponsored: Buy Bitcoin in minutes with Apple Pay — Get started"
    text = "\n".join([PARAGRAPH, "", intro, items[1], ad, PARAGRAPH, "", PARAGRAPH]) + "\n"
    dropped = [c.before.strip() for c in scrubber.clean(text).changes if c.action == "drop"]
    assert dropped == [ad]


def test_a_date_under_its_field_label_is_no_date_stamp():
    # An event's details: the date under its label "Date" is the text's, above the body or not.
    date = "Saturday, June 13, 2026"
    for label in ("Date", "Date:", "Datum", "Quand :"):
        text = "\n".join(["Riverside Makers Market", "", label, date, "", PARAGRAPH, "", PARAGRAPH]) + "\n"
        assert scrubber.clean(text).changes == [], label
    # Alone above the body, or under another line, the same date is the template's stamp (META007).
    for top in ([date], ["Updated", date]):
        text = "\n".join(["Riverside Makers Market", "", *top, "", PARAGRAPH, "", PARAGRAPH]) + "\n"
        assert date in [c.before.strip() for c in scrubber.clean(text).changes if c.action == "drop"]


def test_a_labelled_field_between_two_others_is_the_records():
    # A film's credits: "Fotografía: NAME" between two other fields names the cinematographer, and a
    # book's "Auteur: NAME" its author; neither is the page's photo credit or byline, above the body or not.
    for fields in (["Dirección: Lucía Ferrán", "Fotografía: Inés Barragán", "Duración: 112 min"],
                   ["Titel: De stilte van het wad", "Auteur: Marieke Doornbos", "Uitgever: Noorderlicht"]):
        text = "\n".join(["A title for the page", "", *fields, "", PARAGRAPH, "", PARAGRAPH]) + "\n"
        assert scrubber.clean(text).changes == [], fields
        # alone, or with one field beside it, the same line is the credit or byline its rule takes
        for alone in ([fields[1]], fields[:2]):
            text = "\n".join(["A title for the page", "", *alone, "", PARAGRAPH, "", PARAGRAPH]) + "\n"
            assert fields[1] in [c.before.strip() for c in scrubber.clean(text).changes if c.action == "drop"]


def test_a_stray_tag_removed_from_a_list_does_not_make_its_items_edges():
    # a podcast's chapter list in the body, one stray "li >" among its rows: MENU033 (edge-scoped)
    # reads each row as a live-update row, and the removed tag must not open the list to it
    rows = ["00:00 Cold open", "01:45 Intro and listener mail", "06:10 The dinghy that started it all",
            "14:30 How to tell rot from surface damage"]
    later = ["27:05 Epoxy against traditional methods", "38:20 Pricing restoration work"]
    text = "\n".join([PARAGRAPH, PARAGRAPH, "Timestamps", *rows, "li >", *later, PARAGRAPH]) + "\n"
    result = scrubber.clean(text)
    assert [(c.rule, c.before.strip()) for c in result.changes if c.action == "drop"] == [("HTML001", "li >")]


def test_a_short_heading_set_apart_right_above_the_first_paragraph_heads_it():
    # "Chi siamo" (About us) is FOOTER007's footer link at the edges; set apart by a blank line above,
    # with the first paragraph right below it, it is that paragraph's heading
    top = ["Offerte di lavoro", "Sviluppatore Backend Java – Junior/Mid", "Sede: Milano (ibrido)"]
    heading = "Chi siamo"
    formatted = "\n".join([*top, "", heading, PARAGRAPH, "", PARAGRAPH]) + "\n"
    assert heading not in [c.before.strip() for c in scrubber.clean(formatted).changes]
    dump = "\n".join([*top, heading, PARAGRAPH, PARAGRAPH]) + "\n"  # no blank line: a menu's last link
    assert heading in [c.before.strip() for c in scrubber.clean(dump).changes]


def test_a_rule_with_most_acts_only_where_it_matches_that_many_lines_or_fewer(tmp_path):
    """`most = N`: one or two byline rows are an article's; four are a listing's items, and stay."""
    import pytest

    from scrubber.catalogue import Catalogue, PackError, load_pack
    from scrubber.engine import Cleaner

    pack = tmp_path / "rows.toml"
    pack.write_text('[[rule]]\nid = "ROWS001"\ncategory = "metadata"\naction = "drop-line"\nmost = 2\n'
                    "pattern = '''^Row \\d$'''\ndoc = \"A test row.\"\n"
                    'examples.drop = ["Row 1"]\nexamples.keep = ["Row one"]\n', encoding="utf-8")
    cleaner = Cleaner(Catalogue(load_pack(pack)))

    def dropped(rows):
        text = "\n".join([PARAGRAPH, *rows, PARAGRAPH]) + "\n"
        return [c.before.strip() for c in cleaner.clean(text).changes if c.action == "drop"]

    assert dropped(["Row 1", "Row 2"]) == ["Row 1", "Row 2"]
    assert dropped(["Row 1", "Row 2", "Row 3"]) == []
    pack.write_text(pack.read_text(encoding="utf-8").replace('action = "drop-line"', 'action = "strip"'),
                    encoding="utf-8")
    with pytest.raises(PackError, match="most"):
        load_pack(pack)
