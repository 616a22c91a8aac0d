"""Which subjects a comparison sets side by side (`assistant.comparison.compared`), pure."""

from __future__ import annotations

from assistant.analysis import fold
from assistant.comparison import compared
from assistant.entities import Entity


def _entity(kind: str, name: str) -> Entity:
    return Entity(kind, fold(name), {"fr": name, "en": name}, (fold(name),))


def test_the_institute_and_city_two_centres_share_are_not_compared() -> None:
    ifcam, cefirse, iisc, city = (_entity("name", n) for n in ("IFCAM", "CEFIRSE", "IISc", "Bangalore"))
    question = fold("IFCAM ou CEFIRSE, hébergées à l'IISc de Bangalore : en quoi diffèrent-elles ?")
    assert [e.key for e in compared(question, [ifcam, cefirse, iisc, city])] == ["ifcam", "cefirse"]


def test_countries_and_offices_are_compared_wherever_they_stand() -> None:
    canada, usa, irl = (
        _entity("country", "Canada"),
        _entity("country", "United States"),
        _entity("tool", "IRL"),
    )
    question = fold("Compare the IRLs in Canada and in the United States")
    assert compared(question, [irl, canada, usa]) == [irl, canada, usa]


def test_two_subjects_are_kept_even_when_placed() -> None:
    a, b = _entity("name", "IPAL"), _entity("name", "CINTRA")
    assert compared(fold("the labs at IPAL and at CINTRA"), [a, b]) == [a, b]
