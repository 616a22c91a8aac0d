"""The office map (assistant.web.mapview): colours, country codes, links to cards, escaping, no network."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from assistant.directory import Country, Office, OfficeDirectory, load_offices
from assistant.web.mapview import (
    POLE_COLOUR,
    active_offices,
    office_colours,
    office_map_html,
    office_map_svg,
    project,
    world_svg,
)

OFFICES_YAML = Path(__file__).resolve().parents[1] / "corpus" / "offices.yaml"


@pytest.fixture(scope="module")
def directory() -> OfficeDirectory:
    return load_offices(OFFICES_YAML)


@pytest.fixture(scope="module")
def svg(directory: OfficeDirectory) -> str:
    return office_map_svg(directory, "fr")


def _drawn_codes() -> set[str]:
    return set(re.findall(r'<g class="([a-z]{2}) country map-element">', world_svg()))


def _fill_of(svg: str, code: str) -> str:
    m = re.search(rf'<g class="{code} country" fill="(#[0-9a-f]{{6}})">', svg)
    assert m, f"country {code} not drawn"
    return m.group(1)


def test_map_svg_is_well_formed_xml(svg: str) -> None:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_map_svg_shows_every_active_office_colour(directory: OfficeDirectory, svg: str) -> None:
    colours = office_colours(directory)
    offices = active_offices(directory)
    assert len(offices) == 11
    for office in offices:
        assert colours[office.id] in svg, office.id
    assert len({colours[o.id] for o in offices}) == len(offices)  # one colour per office


def test_map_svg_fills_every_country_of_offices_yaml(directory: OfficeDirectory, svg: str) -> None:
    data = yaml.safe_load(OFFICES_YAML.read_text(encoding="utf-8"))
    colours = office_colours(directory)
    drawn = _drawn_codes()
    checked = 0
    for row in data["offices"]:
        if row.get("status") != "active":
            continue
        for country in row.get("countries") or ():
            code = country["code"].lower()
            if code in drawn:  # the world map leaves out a few micro-states
                assert _fill_of(svg, code) == colours[row["id"]], code
                checked += 1
    for row in data["poles"]:
        for country in row.get("countries") or ():
            code = country["code"].lower()
            if code in drawn and code != "in":  # India is listed under its office, not its pole
                assert _fill_of(svg, code) == POLE_COLOUR, code
                checked += 1
    assert checked > 100


def test_map_svg_known_countries(svg: str, directory: OfficeDirectory) -> None:
    colours = office_colours(directory)
    assert _fill_of(svg, "jp") == colours["tokyo"]
    assert _fill_of(svg, "ca") == colours["ottawa"]  # not Washington's former country
    assert _fill_of(svg, "in") == colours["new-delhi"]
    assert _fill_of(svg, "de") == POLE_COLOUR
    assert _fill_of(svg, "fr") not in colours.values()  # France is not abroad


def test_map_svg_tooltips_name_country_office_city_and_zone(svg: str) -> None:
    title = re.search(r'<g class="jp country"[^>]*><title>([^<]*)</title>', svg)
    assert title
    assert title.group(1).startswith("Japon — Bureau du CNRS pour l&#x27;Asie du Nord-Est")
    assert "Ville : Tokyo" in title.group(1)
    assert "Zone : Asie du Nord-Est" in title.group(1)


def test_map_links_point_to_office_cards(directory: OfficeDirectory) -> None:
    page = office_map_html(directory, "en")
    targets = set(re.findall(r'href="#(office-[\w-]+)"', page))
    cards = set(re.findall(r'id="(office-[\w-]+)"', page))
    assert targets
    assert targets <= cards
    assert {f"office-{o.id}" for o in active_offices(directory)} <= cards


def test_map_svg_has_a_marker_per_active_office(directory: OfficeDirectory, svg: str) -> None:
    assert svg.count('class="derci-marker"') == len(active_offices(directory))


def test_map_fetches_nothing(directory: OfficeDirectory, svg: str) -> None:
    page = office_map_html(directory, "fr")
    for text in (svg, page):
        assert not re.search(r"\b(src|xlink:href)\s*=", text)
        assert not re.search(r"url\(|@import|<script|<image|<link|<iframe|<object|<use\b", text, re.I)
    # The only http URLs of the SVG are the namespace; the page adds public-source links on cards.
    assert set(re.findall(r"https?://[^\"'\s<>]+", svg)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r'href="https?://', svg)
    assert all('target="_blank" rel="noopener noreferrer"' in a
               for a in re.findall(r'<a href="https?://[^>]+>', page))  # fmt: skip


def test_map_escapes_every_name() -> None:
    evil = "<script>alert(1)</script>"
    office = Office(
        id="evil",
        names={"fr": f"Bureau {evil}", "en": f"Office {evil}"},
        city={"fr": '<img src=x onerror="alert(2)">', "en": "x"},
        zone={"fr": 'Zone & "quotes"', "en": "z"},
        pages={"fr": f"fr/{evil}"},
        sources=('https://example.org/"><script>alert(3)</script>',),
        countries=(Country("JP", {"fr": f"Japon {evil}", "en": "Japan"}),),
    )
    page = office_map_html(OfficeDirectory([office]), "fr")
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page


def test_project_places_cities_on_their_countries() -> None:
    # Bounding boxes of the countries on the package's map (measured from worldmap.svg).
    x, y = project(1.35, 103.82)  # Singapore: 1993-1995, 672-673
    assert abs(x - 1994) < 6 and abs(y - 672) < 6
    x, y = project(41.90, 12.45)  # Vatican: 1294.4, 323.6
    assert abs(x - 1294.4) < 6 and abs(y - 323.6) < 6
    x, y = project(-37.81, 144.96)  # Melbourne: south-east Australia
    assert 2180 < x < 2260 and 1000 < y < 1060


def test_map_html_lists_former_offices(directory: OfficeDirectory) -> None:
    page = office_map_html(directory, "en")
    assert "Former offices" in page
    assert "New York" in page
    assert 'id="office-new-york"' not in page  # no card: it is not on the map
