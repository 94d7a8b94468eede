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
