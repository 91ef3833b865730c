"""Confusable skeletons: names that look alike have one skeleton, names that differ do not."""

from __future__ import annotations

import pytest

from devforge.adapters.naming.unicode_confusables import UnicodeConfusables
from devforge.domain.marketplace.skeleton import displayed_order, skeleton

PROTOTYPES = UnicodeConfusables().prototypes()


def key(name: str) -> str:
    return skeleton(name, PROTOTYPES)


@pytest.mark.parametrize(
    "look_alike",
    [
        "\u0430cme",  # Cyrillic a
        "\u0430\u0441m\u0435",  # Cyrillic a, es, ie around a Latin m
        "a\u200bcme",  # zero-width space
        "ac\u200dme\u2060",  # zero-width joiner, word joiner
        "\ufeffacme\u00ad",  # byte order mark, soft hyphen
        "\u202eemca",  # right-to-left override: displayed as "acme"
        "\u202eemca\u202c",  # the same, closed
        "\U0001d41a\U0001d41c\U0001d426\U0001d41e",  # mathematical bold
        "\U0001d552\U0001d554\U0001d55e\U0001d556",  # mathematical double-struck
        "\uff41\uff43\uff4d\uff45",  # full-width
        "ACME",
        "AcMe",
        "acrne",  # r n reads as m
        "a-c-m-e",
        "ac me",
    ],
)
def test_a_look_alike_has_the_skeleton_of_the_name_it_imitates(look_alike: str) -> None:
    assert key(look_alike) == key("acme")


@pytest.mark.parametrize(
    ("imitation", "original"),
    [
        ("g00gle", "google"),
        ("paypaI", "paypal"),  # capital I for l
        ("\u0440\u0443th\u043en", "python"),  # Cyrillic er, u, o
        ("Rainbow\u00a0Brackets", "rainbow-brackets"),  # no-break space
        ("rainbow_brackets", "Rainbow Brackets"),
        ("Acme\u2009Tools", "acme.tools"),
        ("\u202eslooT emcA", "Acme Tools"),
    ],
)
def test_imitations_of_real_names_are_caught(imitation: str, original: str) -> None:
    assert key(imitation) == key(original)


@pytest.mark.parametrize(("left", "right"), [("acme", "acne"), ("acme", "acme2"), ("python", "pythen"), ("go", "js")])
def test_different_names_keep_different_skeletons(left: str, right: str) -> None:
    assert key(left) != key(right)


def test_an_override_run_is_displayed_reversed_and_nested_runs_in_their_own_direction() -> None:
    assert displayed_order("ab\u202edc\u202cef") == "abcdef"
    assert displayed_order("\u202ec\u202dab\u202c") == "abc"
    assert displayed_order("\u202dabc") == "abc"


def test_the_skeleton_is_stable() -> None:
    assert key(key("\u0410\u0441m\u0435 Tools")) == key("\u0410\u0441m\u0435 Tools")
