"""The TUPA catalogue on a real office store: demo load, versions, UIT per year, the CLI."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.views import ProcedureView
from kiosk.storage.tables import Event, UitValue
from tests.conftest import LIMA

PARTIDA = """
[[procedures]]
code = "RC-01"
name = "{name}"
category = "partida"
area = "Registro Civil"
service = "partidas"
effective_from = {effective_from}
fee_kind = "fixed"
fee_value = "{fee}"
deadline_working_days = 1
calificacion = "aprobacion_automatica"
{requirements}"""


# The requirements of RC-01 in the demo catalogue, as [[procedures.requirements]] tables.
REQUIREMENTS = [
    ("Solicitud indicando nombres del titular, fecha y lugar de inscripción.", True),
    ("Exhibir el DNI del solicitante.", True),
    ("Si el titular es menor de edad, solo la solicita el padre o la madre.", False),
    ("Carta poder simple, si la solicita un tercero.", False),
    ("Pago del derecho de trámite.", True),
]


def partida(name: str = "Copia certificada de partida de nacimiento",
            effective_from: str = "2025-01-01", fee: str = "8.50") -> str:
    requirements = "".join(
        f'[[procedures.requirements]]\ntext = "{text}"\nmandatory = {str(flag).lower()}\n'
        for text, flag in REQUIREMENTS)
    return PARTIDA.format(name=name, effective_from=effective_from, fee=fee,
                          requirements=requirements)


def write(tmp_path: Path, text: str, name: str = "tupa.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def event_count(hub: OfficeHub) -> int:
    with hub.store.read_session() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


def test_the_demo_catalogue(hub: OfficeHub) -> None:
    procedures = hub.procedures(SYSTEM)
    assert [p.category for p in procedures] == sorted(
        (p.category for p in procedures),
        key=["partida", "licencia_funcionamiento", "licencia_edificacion", "otro"].index)
    partidas = [p.name for p in procedures if p.category == "partida"]
    assert partidas == ["Copia certificada de partida de defunción",
                        "Copia certificada de partida de matrimonio",
                        "Copia certificada de partida de nacimiento"]
    by_code = {p.code: p for p in procedures}
    assert {"LF-01", "LF-02", "LF-03", "LF-04", "LE-A", "LE-B", "LE-C", "LE-D",
            "MP-01"} <= set(by_code)
    low = by_code["LF-01"]
    assert (low.fee_soles, low.fee_basis) == (Decimal("263.20"),
                                               "4.7855 % de la UIT 2026 (S/ 5,500.00)")
    assert by_code["LF-02"].fee_soles == Decimal("420.30")
    assert (low.deadline_working_days, low.calificacion_text) == (
        2, "Evaluación previa — silencio positivo")
    assert by_code["LF-04"].deadline_working_days > low.deadline_working_days
    birth = by_code["RC-01"]
    assert (birth.fee_soles, birth.fee_basis, birth.service, birth.version) == (
        Decimal("8.50"), "Monto fijo", "partidas", 1)
    assert [r.number for r in birth.requirements] == [1, 2, 3, 4, 5]
    assert [r.mandatory for r in birth.requirements] == [True, True, False, False, True]
    desk = by_code["MP-01"]
    assert (desk.fee_soles, desk.fee_basis, desk.deadline_working_days) == (
        Decimal("0.00"), "Gratuito", 0)
    assert all(p.calificacion_text for p in procedures)
    assert hub.procedure(SYSTEM, "lf-01") == low  # codes are read in capitals
    assert set(ProcedureView.model_fields) == {
        "code", "name", "category", "area", "service", "version", "effective_from",
        "fee_soles", "fee_basis", "deadline_working_days", "calificacion",
        "calificacion_text", "requirements", "variant", "authority", "appeals"}


def test_unknown_procedure(hub: OfficeHub) -> None:
    for code in ("XX-99", "a/b", ""):
        with pytest.raises(NotFound) as caught:
            hub.procedure(SYSTEM, code)
        assert caught.value.code == "unknown_procedure"
        assert "No existe el trámite" in caught.value.message


def test_the_fee_follows_the_uit_of_the_current_year(hub: OfficeHub, clock: VirtualClock
                                                     ) -> None:
    clock.set(datetime(2025, 6, 2, 9, 0, tzinfo=LIMA))
    low = hub.procedure(SYSTEM, "LF-01")
    assert (low.fee_soles, low.fee_basis) == (Decimal("256.02"),
                                               "4.7855 % de la UIT 2025 (S/ 5,350.00)")
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=LIMA))  # no UIT 2027 loaded yet
    listed = {p.code: p for p in hub.procedures(SYSTEM)}  # test_tupa_uit_pending.py: the rest
    assert (listed["LF-01"].fee_soles, listed["LF-01"].fee_basis) == (
        None, "Tasa por confirmar: 4.7855 % de la UIT 2027, aún no publicada")
    assert hub.procedure(SYSTEM, "RC-01").fee_soles == Decimal("8.50")  # fixed: no UIT needed


def test_reimporting_the_same_file_changes_nothing(hub: OfficeHub) -> None:
    from kiosk.services.tupa import DEMO_TUPA

    before = event_count(hub)
    result = hub.import_catalogue(SYSTEM, DEMO_TUPA)
    assert not result.changed and result.procedures_unchanged == 12
    assert event_count(hub) == before


def test_a_later_change_is_a_new_version(hub: OfficeHub, clock: VirtualClock,
                                         tmp_path: Path) -> None:
    before = event_count(hub)
    path = write(tmp_path, partida(effective_from="2026-12-01", fee="9.00"))
    result = hub.import_catalogue(SYSTEM, path)
    assert (result.versions_added, result.procedures_updated) == (1, 0)
    assert event_count(hub) == before + 1
    # Today (20 Nov 2026) version 1 still applies; from 1 Dec version 2.
    assert (hub.procedure(SYSTEM, "RC-01").version,
            hub.procedure(SYSTEM, "RC-01").fee_soles) == (1, Decimal("8.50"))
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=LIMA))
    current = hub.procedure(SYSTEM, "RC-01")
    assert (current.version, current.fee_soles, current.effective_from) == (
        2, Decimal("9.00"), date(2026, 12, 1))
    # Importing it again is a no-op.
    assert not hub.import_catalogue(SYSTEM, path).changed
    assert event_count(hub) == before + 1
    with hub.store.read_session() as session:
        last = session.scalars(select(Event).order_by(Event.seq.desc()).limit(1)).one()
        assert (last.stream, last.kind, last.data["version"], last.data["fee_value"]) == (
            "procedure", "procedure_version_added", 2, "9.00")


def test_a_change_without_a_later_date_is_refused_whole(hub: OfficeHub, tmp_path: Path
                                                        ) -> None:
    before = event_count(hub)
    text = partida(name="Copia de partida de nacimiento", fee="9.00")  # same date as v1
    with pytest.raises(Conflict) as caught:
        hub.import_catalogue(SYSTEM, write(tmp_path, text))
    assert caught.value.code == "version_needs_later_date"
    assert "RC-01" in caught.value.message and "effective_from" in caught.value.message
    # Nothing of the file was kept, not even the name change that came first.
    assert hub.procedure(SYSTEM, "RC-01").name == "Copia certificada de partida de nacimiento"
    assert event_count(hub) == before


def test_a_new_name_updates_the_procedure_without_a_version(hub: OfficeHub, tmp_path: Path
                                                            ) -> None:
    result = hub.import_catalogue(
        SYSTEM, write(tmp_path, partida(name="Copia certificada de acta de nacimiento")))
    assert (result.procedures_updated, result.versions_added) == (1, 0)
    current = hub.procedure(SYSTEM, "RC-01")
    assert (current.name, current.version) == ("Copia certificada de acta de nacimiento", 1)


def test_a_procedure_not_yet_in_force(hub: OfficeHub, tmp_path: Path) -> None:
    text = partida(effective_from="2027-03-01").replace('"RC-01"', '"RC-09"')
    assert hub.import_catalogue(SYSTEM, write(tmp_path, text)).procedures_added == 1
    assert "RC-09" not in {p.code for p in hub.procedures(SYSTEM)}
    with pytest.raises(NotFound) as caught:
        hub.procedure(SYSTEM, "RC-09")
    assert caught.value.code == "procedure_not_in_force"
    assert "01/03/2027" in caught.value.message


def test_uit_and_non_working_days_are_data(hub: OfficeHub, clock: VirtualClock,
                                           tmp_path: Path) -> None:
    text = """
format = 1

[[uit]]
year = 2027
amount = "5650"

[[non_working_days]]
date = 2026-12-24
name = "Día no laborable para el sector público"
scope = "sector_publico"
"""
    result = hub.import_catalogue(SYSTEM, write(tmp_path, text))
    assert (result.uit_set, result.non_working_days_set) == (1, 1)
    assert not hub.import_catalogue(SYSTEM, write(tmp_path, text)).changed
    calendar = hub.working_calendar()
    assert not calendar.is_working_day(date(2026, 12, 24))
    assert calendar.add_working_days(datetime(2026, 12, 23, 10, 0, tzinfo=LIMA), 1) == date(
        2026, 12, 28)
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=LIMA))
    assert hub.procedure(SYSTEM, "LF-01").fee_basis == "4.7855 % de la UIT 2027 (S/ 5,650.00)"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("format = 1\n[[procedures]\ncode = 'x'\n", ["no es TOML válido", "línea 2"]),
        (partida().replace('"partidas"', '"pasaportes"'),
         ["tupa.toml, línea 2", "«RC-01»", "El servicio «pasaportes» no existe"]),
        ("\n\n" + partida() + partida(),
         ["[[procedures]] n.º 2", "línea 31", "aparece dos veces"]),
        (partida().replace("deadline_working_days = 1", "deadline_working_days = -1"),
         ["«deadline_working_days»"]),
        (partida().replace('fee_kind = "fixed"', 'fee_kind = "soles"'),
         ["Tipo de derecho de trámite desconocido «soles»"]),
        ("[tramites]\nx = 1\n", ["sección desconocida «tramites»"]),
        ("format = 2\n", ["formato 2 no soportado"]),
        ("[[uit]]\nyear = 2027\namount = \"-1\"\n", ["[[uit]] n.º 1", "UIT 2027"]),
        ("[[non_working_days]]\ndate = 2026-12-24\nname = \"x\"\nscope = \"mundial\"\n",
         ["«scope»", "mundial"]),
    ],
)
def test_bad_files_name_the_line_and_field(hub: OfficeHub, tmp_path: Path, text: str,
                                           fragments: list[str]) -> None:
    before = event_count(hub)
    with pytest.raises(InvalidInput) as caught:
        hub.import_catalogue(SYSTEM, write(tmp_path, text))
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message
    assert event_count(hub) == before


def test_only_an_admin_imports(hub: OfficeHub, tmp_path: Path) -> None:
    from kiosk.rules.permissions import Role

    clerk = DeviceIdentity(id="x", name="Ventanilla 1", role=Role.COUNTER)
    with pytest.raises(Forbidden):
        hub.import_catalogue(clerk, write(tmp_path, partida()))


def test_a_new_office_has_the_uit_table_but_no_procedures(data_dir: DataDir,
                                                          clock: VirtualClock) -> None:
    office = OfficeHub.initialise(data_dir, "HYO", "CAC Huancayo", clock=clock)
    try:
        with office.store.read_session() as session:
            uits = {row.year: row.amount for row in session.scalars(select(UitValue))}
        assert uits == {2025: Decimal("5350.00"), 2026: Decimal("5500.00")}
        assert office.procedures(SYSTEM) == []
    finally:
        office.close()


def test_cli_catalogue_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = str(tmp_path / "caj")
    assert main(["init", "--data-dir", office, "--office", "CAJ", "--name", "CAC",
                 "--demo"]) == 0
    capsys.readouterr()
    path = write(tmp_path, partida(effective_from="2026-12-01", fee="9.00"))
    assert main(["catalogue", "import", "--data-dir", office, str(path)]) == 0
    assert "1 versiones nuevas" in capsys.readouterr().out
    assert main(["catalogue", "import", "--data-dir", office, str(path)]) == 0
    assert "sin cambios" in capsys.readouterr().out
    bad = write(tmp_path, partida().replace("fee_value", "fee_valor"), "malo.toml")
    assert main(["catalogue", "import", "--data-dir", office, str(bad)]) == 2
    err = capsys.readouterr().err
    assert "malo.toml, línea 2" in err and "«fee_valor»" in err
    assert main(["catalogue", "import", "--data-dir", office, str(tmp_path / "no.toml")]) == 2
    assert "No se encuentra el archivo" in capsys.readouterr().err
