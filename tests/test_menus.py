"""MENU101's column of menu items at the top: where the column ends and the page's own title begins."""
from scrubber.detectors.menus import EdgeMenuRun

PROSE = ("El hotel ocupa una casa del siglo XVIII en el casco antiguo, a cinco minutos de la playa y del "
         "puerto, y sus doce habitaciones dan a un patio con naranjos.")


def found(lines, removed=frozenset()):
    return {lines[f.index] for f in EdgeMenuRun().find(lines, frozenset(removed))}


def test_a_title_the_breadcrumb_names_ends_the_menu():
    # the trail (removed by META004 in a full clean) ends with the line's words: the page's title
    menu = ["Reservalia", "Alojamientos", "Vuelos", "Alquiler de coches", "Ofertas"]
    lines = [*menu, "Inicio › España › Almedina del Mar › Hotel Casa Azahar", "Hotel Casa Azahar", "★★★★",
             "Calle de la Alcazaba, 14, Almedina del Mar", PROSE]
    assert found(lines, {len(menu)}) == set(menu)
    # without the trail the same line is the menu's last item
    lines = [*menu, "Hotel Casa Azahar", "★★★★", "Calle de la Alcazaba, 14, Almedina del Mar", PROSE]
    assert found(lines) == {*menu, "Hotel Casa Azahar"}


def test_a_section_label_in_capitals_is_not_the_title_the_trail_names():
    menu = ["News", "Sport", "Property", "Jobs"]
    lines = [*menu, "Home / News / Courts", "COURTS", "Takeaway boss fined after inspectors find mice",
             "A takeaway owner has been ordered to pay more than £14,000 after council officers found mice "
             "nesting in the chip store at his premises."]
    assert found(lines, {len(menu)}) == {*menu, "COURTS"}
