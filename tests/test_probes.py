"""The probe articles (fixtures/probes/): scrubber drops no line their writers kept, and most of the
lines they dropped; it edits no kept line their writers left as it was, and makes most of the repairs
they wrote (a kept line's `clean` field)."""
import json
from pathlib import Path

import pytest

import scrubber

PROBES = Path(__file__).resolve().parent.parent / "fixtures" / "probes"
NAMES = sorted(p.name[: -len(".labels.jsonl")] for p in PROBES.glob("*.labels.jsonl"))
# The share of junk lines dropped over all probes was 0.84 when this was written (2026-11-23, 80
# articles), then 0.82 with 116, 128, 140 and 152, 0.81 with 164 to 200, and 0.79 with 212 before batch
# `r`'s rules (0.80 after them, 0.80 with 224, 0.81 with 236, 0.81 with 248 at batch `u`'s first look,
# 0.82 after its rules, 0.81 with 260 at batch `v`'s first look,
# 0.83 after its rules, 0.82 with 272 at batch `w`'s first look, 0.83 after its rules, 0.82 with 284
# at batch `x`'s first look, 0.84 after its rules, 0.84 with 296 at batch `y`'s first look, 0.84 after
# its rules, 0.84 with 308 at batch `z`'s first look, 0.85 after its rules, 0.85 with 320 at batch
# `aa`'s first look, 0.85 after its rules, 0.85 with 332 at batch `ab`'s first look, 0.85 with 344 at
# batch `ac`'s first look, 0.85 with 356 at batch `ad`'s first look, 0.85 with 368 at batch `ae`'s
# first look, 0.86 after its rules, 0.85 with 380 at batch `af`'s first look, 0.86 after its rules and with
# 392 at batch `ag`'s first look, 0.86 after its rules and with 404 at batch `ah`'s first look, 0.86
# after its rules and with 416 at batch `ai`'s first look, 0.86 after its rules and with 428 at batch
# `aj`'s first look, 0.86 after its rules and with 440 at batch `ak`'s first look, 0.86 after its rules
# and with 452 at batch `al`'s first look, 0.86 after its rules and 0.85 with 464 at batch `am`'s first
# look, 0.85 after its rules and with 476 at batch `an`'s first look, 0.85 after its rules and with 488
# at batch `ao`'s first look, 0.85 after its rules and with 500 at batch `ap`'s first look, 0.85 after
# its rules and with 512 at batch `aq`'s first look, 0.85 after its rules and with 524 at batch `ar`'s
# first look, 0.85 after its rules and with 536 at batch `as`'s first look, 0.84 with 548 at batch `at`'s
# first look, 0.85 after its rules and with 560 at batch `au`'s first look,
# 0.85 after its rules and with 572 at batch `av`'s first look, 0.84 with 584 at batch `aw`'s first
# look, 0.85 after its rules and with 596 at batch `ax`'s first look, 0.84 with 608 at batch `ay`'s
# first look); below 0.75 a change has lost
# a kind of junk.
MIN_JUNK_RECALL = 0.75
# The share of the writers' repairs made exactly was 0.63 when this was written (2026-11-24, 84 of 134
# lines on 32 probes), 0.79 after HTML019 and SPACE007 (132 of 168 with batches `ac` and `ad`); the
# misses are whole tags around prose (`<h2>...</h2>`, left on purpose: tutorials print them),
# spacing around quotation marks and guillemets, and " :" outside French.
MIN_REPAIRS = 0.6


def _verdicts(name):
    text = (PROBES / f"{name}.txt").read_text(encoding="utf-8")
    labels = [json.loads(line) for line in (PROBES / f"{name}.labels.jsonl").read_text(encoding="utf-8").splitlines()]
    result = scrubber.clean(text)
    dropped = {c.line for c in result.changes if c.action == "drop"}
    return labels, dropped, result


def test_there_are_probes():
    assert len(NAMES) == 608


# Probes whose content loss is known and not fixed: strict, so a fix shows up as a failure to update.
KNOWN_LOSSES = {
    "t04_job_posting": "PAGE001 drops a job posting's title ('Senior Data Engineer, Fleet Telemetry', p_keep 0.27): a "
                       "title with a comma reads as a byline or a place, and the posting's facts stand between it and "
                       "the first paragraph",
    "k12_pebblestore_release": "PAGE001 drops the closing line printed below the sponsor logos "
                               "('The full changelog is available on GitHub. Happy hacking!', p_keep 0.07)",
    "w08_en_forum_thread": "PAGE001 drops a reply's title ('Update: it plays!', p_keep 0.23) between the post's "
                           "header rows, which it drops, and its first paragraph",
    "y01_en_recipe_blog": "the writer keeps the recipe card's 'Servings 10 slices', which META015 drops with the "
                          "card's other details as earlier probes' writers did (a labelling call, not fixed)",
    "y04_en_forum_thread": "PAGE001 drops the thread's title (six rows of thread and post furniture stand between it "
                           "and the first post) and a one-line reply ('Thanks, that fixed it!')",
    "ad06_ru_forum_avto": "a forum thread's title, taken by RELATED101 for a related-threads teaser, and a one-line "
                          "reply ('Те же.') PAGE001 drops among the posts' furniture",
    "ag02_de_vereinsseite_termine": "first look: PAGE001 drops a club post's title ('Wanderprogramm Frühjahr 2026 "
                                    "steht fest') and MENU101 its sign-off ('Euer Tourenausschuss')",
    "ai06_en_podcast_wooden_boats_episode": "first look: PAGE001 drops a podcast episode's title, eighteen lines of "
                                            "player and subscribe buttons above the show notes, and the two-word "
                                            "heading 'Show notes' right above them",
    "aj09_en_job_senior_data_engineer": "first look: PAGE001 drops a job posting's 'Location: Leeds, United Kingdom "
                                        "(hybrid)' among its header's rows",
    "aj11_en_newsletter_slow_commute": "first look: PAGE001 drops a newsletter issue's title ('#87: Night buses, a "
                                       "ferry timetable, and one very long bench') and its standfirst ('Plus: ...')",
    "ak10_ru_reka_ivdesha": "first look: MENU101 takes a wiki article's one-word title ('Ивдеша') for the last item "
                            "of the menu above it (the wiki's tagline, not a paragraph, follows it)",
    "ak11_en_church_newsletter": "first look: PAGE001 drops one name of a volunteer rota ('Helen') among the rota's "
                                 "short lines",
    "al06_en_gov_fishing_licence": "first look: PAGE001 drops a service page's own 'Contact us' section at its end "
                                   "(its heading, opening hours and e-mail), read as the site's footer, as ac07's",
    "an01_en_recipe_blog_reviews": "first look: the writer keeps the recipe card's 'Prep Time: 10 minutes', 'Cook "
                                   "Time: 35 minutes' and 'Servings: 6 bowls', which META015 drops with the card's "
                                   "other details as earlier probes' writers labelled them (y01's labelling call)",
    "an10_en_qa_site_git_rebase": "PAGE001 drops the last sentence of a Q&A page's last answer among the page's "
                                  "furniture; RESIDUE001 took the whole answer for a share section at first look",
    "ao10_en_code_repo_readme_page": "first look: PAGE001 drops a README's closing 'License' section (its heading, "
                                     "'MIT © 2022–2024 ...' and a note on the data's terms) with the repository "
                                     "page's sidebar below it",
    "aq08_en_conference_speaker_bio": "first look: MENU101 takes a speaker page's title, her name, for the last item "
                                      "of the menu above it, and PAGE001 drops her city and the 'About' heading",
    "as04_es_listado_eventos": "first look: RELATED103 takes an event's title and date for a related list under "
                               "the card above's 'Más información' button, which RELATED001 also reads as a "
                               "Spanish paper's related heading",
    "as05_it_documentazione_api": "first look: PAGE001 drops the last item of an API page's list of error codes "
                                  "('- 429: troppe richieste, riprova più tardi')",
    "at07_pt_secao_economia": "first look: META007 drops a section page's relative time stamp ('Há 2 horas'), "
                              "which the writer keeps as the listed story's date",
    "av05_it_articolo_meteo": "first look: RELATED103 takes a weather article's subheading ('I consigli per "
                              "difendersi dal caldo') for a related list's heading",
    "aw07_en_forum_thread_woodworking": "first look: PAGE001 drops a forum thread's title ('Walnut dining tabletop "
                                        "cupped badly two weeks after glue-up — what went wrong?') above the "
                                        "thread's furniture",
    "ax07_en_events_listing_library": "first look: PAGE001 drops events of a library's listing (their titles, a "
                                      "date row, 'Registration required', a description) and MENU101 an event's "
                                      "place ('Online')",
    "ax09_fr_rubrique_sport_liste": "first look: META003 drops the 'Publié le 16/03/2025 à 19h42' stamp of each "
                                    "story of a section page, which the writer keeps as the listed story's date",
    "ax10_es_agenda_conciertos": "first look: META007 drops the concerts' date rows ('Domingo, 6 de abril de 2025 · "
                                 "19:00 h') and RELATED103 a concert's lines under a related-list heading",
    "ax12_en_podcast_episode_list": "first look: PAGE001 drops a podcast archive's episode dates, durations and "
                                    "numbers ('March 18, 2025', '52 min', 'Episode 137') and one episode's title",
    "ac07_en_gov_service_page": "PAGE001 drops a guidance page's own 'Contact us' section at its end (the team, a PO "
                                "box address, email, telephone and opening hours), read as the site's footer",
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_LOSSES[n], strict=True))
                                  if n in KNOWN_LOSSES else n for n in NAMES])
def test_no_kept_line_is_dropped(name):
    labels, dropped, _ = _verdicts(name)
    lost = [label["text"] for label in labels if label["label"] == "keep" and label["line"] in dropped]
    assert lost == []


@pytest.mark.parametrize("name", NAMES)
def test_probe_cleaning_restores_and_settles(name):
    text = (PROBES / f"{name}.txt").read_text(encoding="utf-8")
    _, _, result = _verdicts(name)
    assert scrubber.restore(result.text, result.changes) == text
    assert scrubber.clean(result.text).changes == []


def test_most_junk_lines_are_dropped():
    junk = caught = 0
    for name in NAMES:
        labels, dropped, _ = _verdicts(name)
        for label in labels:
            if label["label"] == "drop":
                junk += 1
                caught += label["line"] in dropped
    assert junk > 850
    assert caught / junk >= MIN_JUNK_RECALL


def test_kept_lines_are_edited_only_where_their_writers_repaired_them():
    """A kept line the writer left untouched comes out untouched (no edit of its words names its line), and most of
    the lines the writer repaired come out as the writer wrote them (white space at the ends aside)."""
    edited_untouched, repairs, made = [], 0, 0
    for name in NAMES:
        labels, dropped, result = _verdicts(name)
        # (an edit of the line ending alone follows the removed last line: "\n" -> "")
        edited = {c.line for c in result.changes if c.action != "drop" and c.before.strip() != c.after.strip()}
        out = {line.strip() for line in result.text.split("\n")}
        for label in labels:
            if label["label"] != "keep" or label["line"] in dropped:
                continue
            if "clean" in label:
                repairs += 1
                made += label["clean"].strip() in out
            elif label["line"] in edited:
                edited_untouched.append((name, label["text"]))
    assert edited_untouched == []
    assert repairs > 100 and made / repairs >= MIN_REPAIRS
