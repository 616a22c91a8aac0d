"""Who the asker says they are, and how the documents would name it."""

from __future__ import annotations

import pytest

from assistant.eligibility import asker_status


@pytest.mark.parametrize(
    ("message", "said", "written"),
    [
        ("Je suis post-doc dans une UMR : puis-je coordonner un IRP ?", "post-doc", "post-doctorant"),
        ("I'm a PhD student in a CNRS lab. Am I allowed to lead an IRP?", "phd student", "doctoral students"),
        ("Un doctorant peut-il porter une IEA ?", "doctorant", "doctorante"),
        ("Est-ce que notre postdoc pourrait être coordinateur ?", "postdoc", "postdoctoral"),
    ],
)
def test_asker_status_is_what_the_message_says_in_the_documents_words(
    message: str, said: str, written: str
) -> None:
    found = asker_status(message)
    assert found is not None
    typed, forms = found
    assert typed == said and forms.search(written)


def test_a_message_that_says_no_status_has_none() -> None:
    assert asker_status("Qui peut porter un IRP ?") is None
