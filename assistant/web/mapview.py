"""The office map: an offline SVG world map coloured by the office that covers each country, with cards.

The world outline is the SVG shipped by the `pygal_maps_world` package (Robinson projection, one
`<g class="xx country map-element">` per country, ISO alpha-2 codes in lower case). Clicking a country,
a city marker or a legend entry follows an in-page `#office-<id>` link to the office card under the map:
no script, no tile server, no network fetch of any kind. Every name is HTML-escaped.
Does not read offices.yaml: it draws the `OfficeDirectory` that `load_offices` built.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache

from assistant.directory import Office, OfficeDirectory

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948",
    "#76b7b2", "#ff9da7", "#9c755f", "#1b9e77", "#d95f02", "#7570b3",
)  # fmt: skip
POLE_COLOUR = "#9aa0a6"
UNCOVERED_COLOUR = "#e4e7eb"
_VIEWBOX = "0 0 2475 1110"  # the package's 2475 x 1388 canvas without Antarctica

# Approximate (latitude, longitude) of office cities, by office id: offices.yaml has no coordinates.
# An office missing here simply gets no marker.
CITY_COORDINATES: Mapping[str, tuple[float, float]] = {
    "washington": (38.90, -77.04),
    "ottawa": (45.42, -75.70),
    "south-america": (-23.55, -46.63),
    "brussels": (50.85, 4.35),
    "pretoria": (-25.75, 28.19),
    "nairobi": (-1.29, 36.82),
    "new-delhi": (28.61, 77.21),
    "beijing": (39.90, 116.40),
    "tokyo": (35.68, 139.69),
    "singapore": (1.35, 103.82),
    "melbourne": (-37.81, 144.96),
}

# Robinson projection table (every 5 degrees of latitude): parallel length X and distance from the
# equator Y. The scale and origin below were fitted on the package's map (Vatican, Monaco, Singapore,
# Reykjavik fall within a few pixels of their countries).
_ROBINSON_X = (1.0000, 0.9986, 0.9954, 0.9900, 0.9822, 0.9730, 0.9600, 0.9427, 0.9216, 0.8962,
               0.8679, 0.8350, 0.7986, 0.7597, 0.7186, 0.6732, 0.6213, 0.5722, 0.5322)  # fmt: skip
_ROBINSON_Y = (0.0000, 0.0620, 0.1240, 0.1860, 0.2480, 0.3100, 0.3720, 0.4340, 0.4958, 0.5571,
               0.6176, 0.6769, 0.7346, 0.7903, 0.8435, 0.8936, 0.9394, 0.9761, 1.0000)  # fmt: skip
_ORIGIN_X, _ORIGIN_Y = 1208.5, 683.5  # where longitude 0 meets the equator
_SCALE_X, _SCALE_Y = 7.563, 692.0  # pixels per degree of longitude at the equator; pixels for Y = 1

_COUNTRY = re.compile(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', re.DOTALL)

_LABELS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "aria": "Carte des bureaux du CNRS à l'étranger",
        "legend": "Légende",
        "pole": "Pôle de la DEI au siège (pas de bureau à l'étranger)",
        "uncovered": "Non attribué dans la documentation",
        "city": "Ville",
        "zone": "Zone",
        "countries": "Pays couverts",
        "opened": "Depuis",
        "page": "Fiche",
        "website": "source publique",
        "hq": "Siège du CNRS, Paris",
        "former": "Anciens bureaux",
        "moved": "transféré",
        "closed": "fermé",
    },
    "en": {
        "aria": "Map of the CNRS offices abroad",
        "legend": "Legend",
        "pole": "DEI pole at headquarters (no office abroad)",
        "uncovered": "Not assigned in the documentation",
        "city": "City",
        "zone": "Zone",
        "countries": "Countries covered",
        "opened": "Since",
        "page": "Page",
        "website": "public source",
        "hq": "CNRS headquarters, Paris",
        "former": "Former offices",
        "moved": "moved",
        "closed": "closed",
    },
}


def active_offices(directory: OfficeDirectory) -> list[Office]:
    """Offices abroad that are open today, in the order of offices.yaml."""
    return [o for o in directory.offices if o.kind == "office" and o.status == "active"]


def office_colours(directory: OfficeDirectory) -> dict[str, str]:
    """Office id -> fill colour, for every active office and pole (poles are all grey)."""
    colours = {o.id: PALETTE[i % len(PALETTE)] for i, o in enumerate(active_offices(directory))}
    colours.update({o.id: POLE_COLOUR for o in directory.offices if o.kind == "pole"})
    return colours


def country_owners(directory: OfficeDirectory) -> dict[str, Office]:
    """Lower-case country code -> the active office covering it, else the pole handling it."""
    owners: dict[str, Office] = {}
    for office in [*active_offices(directory), *(o for o in directory.offices if o.kind == "pole")]:
        for country in office.countries:
            owners.setdefault(country.code.lower(), office)
    return owners


def project(lat: float, lon: float) -> tuple[float, float]:
    """The point of the package's world map for a latitude and longitude (Robinson, interpolated)."""
    pos = min(abs(lat), 90.0) / 5.0
    i = min(int(pos), len(_ROBINSON_X) - 2)
    t = pos - i
    x_factor = _ROBINSON_X[i] + t * (_ROBINSON_X[i + 1] - _ROBINSON_X[i])
    y_factor = _ROBINSON_Y[i] + t * (_ROBINSON_Y[i + 1] - _ROBINSON_Y[i])
    return _ORIGIN_X + _SCALE_X * x_factor * lon, _ORIGIN_Y - _SCALE_Y * y_factor * (1 if lat >= 0 else -1)


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The world map SVG shipped by pygal_maps_world."""
    from importlib.resources import files

    return (files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")


def office_map_svg(directory: OfficeDirectory, lang: str = "fr", world: str | None = None) -> str:
    """The world map as an inline SVG: countries filled by office, city markers, tooltips, card links."""
    labels = _LABELS[lang if lang in _LABELS else "en"]
    colours = office_colours(directory)
    owners = country_owners(directory)

    def country(m: re.Match[str]) -> str:
        code, body = m.group(1), m.group(2)
        office = owners.get(code)
        if office is None:
            return f'<g class="{code} country" fill="{UNCOVERED_COLOUR}">{body}</g>'
        names = next((c for c in office.countries if c.code.lower() == code), None)
        tip = f"{names.name(lang) if names else code.upper()} — {_tooltip(office, lang, labels)}"
        return (
            f'<a href="#office-{_e(office.id)}" class="derci-country"><g class="{code} country" '
            f'fill="{colours[office.id]}"><title>{_e(tip)}</title>{body}</g></a>'
        )

    countries = _COUNTRY.sub(country, world if world is not None else world_svg())
    start, end = countries.index('<g id="countries">'), countries.rindex("</svg>")
    markers = []
    for office in active_offices(directory):
        where = CITY_COORDINATES.get(office.id)
        if where is None:
            continue
        x, y = project(*where)
        markers.append(
            f'<a href="#office-{_e(office.id)}" class="derci-marker">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{colours[office.id]}" '
            f'stroke="#1d1d1f" stroke-width="3">'
            f"<title>{_e(_tooltip(office, lang, labels))}</title></circle></a>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_VIEWBOX}" class="derci-map" role="img" '
        f'aria-label="{_e(labels["aria"])}" stroke="#ffffff" stroke-width="0.8">'
        f'{countries[start:end]}<g id="office-markers">{"".join(markers)}</g></svg>'
    )


def office_map_html(directory: OfficeDirectory, lang: str = "fr", world: str | None = None) -> str:
    """The map, its legend, one card per active office and pole, and the list of former offices."""
    labels = _LABELS[lang if lang in _LABELS else "en"]
    colours = office_colours(directory)
    legend = [
        f'<li><a href="#office-{_e(o.id)}"><span class="derci-swatch" style="background:{colours[o.id]}">'
        f"</span>{_e(o.text('city', lang) or o.text('names', lang))}</a></li>"
        for o in active_offices(directory)
    ]
    legend.append(
        f'<li><span class="derci-swatch" style="background:{POLE_COLOUR}"></span>{_e(labels["pole"])}</li>'
    )
    legend.append(
        f'<li><span class="derci-swatch" style="background:{UNCOVERED_COLOUR}"></span>'
        f"{_e(labels['uncovered'])}</li>"
    )
    cards = [_card(o, colours[o.id], lang, labels) for o in active_offices(directory)]
    cards += [_card(o, POLE_COLOUR, lang, labels) for o in directory.offices if o.kind == "pole"]
    former = [
        f"<li>{_e(o.text('names', lang))} — {_e(o.text('city', lang))}"
        f"{f' ({o.opened})' if o.opened else ''} · {_e(labels.get(o.status, o.status))}</li>"
        for o in directory.offices
        if o.kind == "office" and o.status != "active"
    ]
    former_html = (
        f'<h4>{_e(labels["former"])}</h4><ul class="derci-former">{"".join(former)}</ul>' if former else ""
    )
    return (
        f'<div class="derci-office-map">{office_map_svg(directory, lang, world)}'
        f'<ul class="derci-legend" aria-label="{_e(labels["legend"])}">{"".join(legend)}</ul>'
        f'<div class="derci-cards">{"".join(cards)}</div>{former_html}</div>'
    )


def _card(office: Office, colour: str, lang: str, labels: Mapping[str, str]) -> str:
    rows = []
    if office.kind == "pole":
        rows.append(
            f"<b>{_e(labels['city'])} :</b> {_e(labels['hq'])}"
            if lang == "fr"
            else f"<b>{_e(labels['city'])}:</b> {_e(labels['hq'])}"
        )
    else:
        rows.append(_row(labels["city"], office.text("city", lang), lang))
        if office.zone:
            rows.append(_row(labels["zone"], office.text("zone", lang), lang))
    if office.countries:
        names = ", ".join(c.name(lang) for c in office.countries)
        rows.append(_row(f"{labels['countries']} ({len(office.countries)})", names, lang))
    if office.opened:
        rows.append(_row(labels["opened"], str(office.opened), lang))
    links = []
    if office.page(lang):
        links.append(f"<code>{_e(office.page(lang))}</code>")
    website = next((s for s in office.sources if s.startswith("https://")), None)
    if website:
        links.append(
            f'<a href="{_e(website)}" target="_blank" rel="noopener noreferrer">{_e(labels["website"])}</a>'
        )
    if links:
        sep = " : " if lang == "fr" else ": "
        rows.append(f"<b>{_e(labels['page'])}</b>{sep}{' · '.join(links)}")
    body = "".join(f"<p>{r}</p>" for r in rows)
    return (
        f'<div class="derci-card" id="office-{_e(office.id)}" style="border-left-color:{colour}">'
        f"<h4>{_e(office.text('names', lang))}</h4>{body}</div>"
    )


def _row(name: str, value: str, lang: str) -> str:
    sep = " : " if lang == "fr" else ": "
    return f"<b>{_e(name)}</b>{sep}{_e(value)}"


def _tooltip(office: Office, lang: str, labels: Mapping[str, str]) -> str:
    if office.kind == "pole":
        return f"{office.text('names', lang)} ({labels['hq']})"
    sep = " : " if lang == "fr" else ": "
    return (
        f"{office.text('names', lang)} · {labels['city']}{sep}{office.text('city', lang)} · "
        f"{labels['zone']}{sep}{office.text('zone', lang)}"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


MAP_CSS = """
.derci-office-map svg.derci-map { width: 100%; height: auto; background: #f4f8fb; border-radius: 8px; }
.derci-office-map a.derci-country:hover g, .derci-office-map a.derci-marker:hover circle { opacity: .75; }
.derci-legend { display: flex; flex-wrap: wrap; gap: .35rem 1.1rem; list-style: none; padding: 0;
  margin: .6rem 0 1rem; font-size: .9rem; }
.derci-legend a { color: inherit; text-decoration: none; }
.derci-swatch { display: inline-block; width: .95rem; height: .95rem; border-radius: 3px;
  margin-right: .35rem; vertical-align: -2px; border: 1px solid #0002; }
.derci-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: .8rem; }
.derci-card { border: 1px solid #d0d7de; border-left: 6px solid; border-radius: 6px; padding: .5rem .8rem;
  font-size: .88rem; scroll-margin-top: 1rem; }
.derci-card h4 { margin: .2rem 0 .4rem; font-size: 1rem; }
.derci-card p { margin: .2rem 0; }
.derci-card:target { outline: 3px solid #1f6feb; background: #eef5ff; }
.derci-former { font-size: .88rem; }
"""
