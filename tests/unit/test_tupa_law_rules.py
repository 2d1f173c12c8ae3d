"""The law table (kiosk/rules/tupa_law.py): every risk level and modalidad has its row, and
each row names an article."""

from __future__ import annotations

from kiosk.rules.procedures import VARIANTS, Calificacion, Category
from kiosk.rules.tupa_law import LAW_RULES, law_breaches, rules_for


def test_every_licence_kind_has_its_row_with_an_article() -> None:
    for category in (Category.LICENCIA_FUNCIONAMIENTO, Category.LICENCIA_EDIFICACION):
        for variant in VARIANTS[category]:
            rules = rules_for(category, variant)
            assert len(rules) == 1 and rules[0].variants == frozenset({variant})
    assert all("art." in rule.article for rule in LAW_RULES)


def test_partidas_and_other_procedures_have_no_rule() -> None:
    assert law_breaches(Category.PARTIDA, "nacimiento", Calificacion.SILENCIO_NEGATIVO, 90) == []
    assert law_breaches(Category.OTRO, None, Calificacion.SILENCIO_NEGATIVO, 90) == []


def test_a_licence_without_its_risk_level_still_has_the_ceiling() -> None:
    assert law_breaches(Category.LICENCIA_FUNCIONAMIENTO, None, Calificacion.SILENCIO_POSITIVO,
                        16) == [
        "Una licencia de funcionamiento tiene un plazo máximo de 15 días hábiles, no 16 (TUO "
        "de la Ley 28976, Ley Marco de Licencia de Funcionamiento (DS 163-2020-PCM), art. 8)."]
    # Modalidad unknown: the edificación rows are per modalidad, so nothing is checked.
    assert law_breaches(Category.LICENCIA_EDIFICACION, None, Calificacion.SILENCIO_NEGATIVO,
                        15) == []
