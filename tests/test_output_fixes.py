"""Output defects fixed together: a full standard output for every command, duplicate villages in a
CSV, `-` for months without contributions by place, the chart on narrow terminals, --chart with
--by, and CSV wording."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import SCENARIOS, ucj_executable

FULL = "<stdout>:1:1: the disk is full, so the result could not be written; expected free space on the disk [E-output-full]"
SCENARIO = str(SCENARIOS / "blitar-2025.yaml")
BAD = str(Path(__file__).parent / "fixtures" / "bad" / "empty.yaml")


@pytest.mark.smoke  # a full standard output needs a real process
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_every_command_on_a_full_standard_output_is_one_coded_line_and_exit_3(tmp_path):
    commands = [
        ["simulate", SCENARIO, "--by", "village"], ["simulate", SCENARIO, "--by", "district"],
        ["validate", BAD], ["validate", "-f", "json", BAD], ["validate", "-f", "github", BAD],
        ["batch", SCENARIO, "--out", str(tmp_path / "out")], ["--version"], ["--help"], ["plan", "--help"],
    ]
    for args in commands:
        with open("/dev/full", "w") as full:
            run = subprocess.run([ucj_executable(), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert "Traceback" not in run.stderr, args
        assert run.returncode == 3, args
        assert run.stderr.splitlines()[-1] == FULL, args


def _csv_scenario(tmp_path: Path, text: str) -> Path:
    (tmp_path / "k.csv").write_text(text)
    path = tmp_path / "s.yaml"
    path.write_text("name: S\nyear: 2025\nworkforce: {employed: 100000, covered: 10}\nfunding: {a: {kind: apbdes}}\ncohorts:\n"
                    "  - {name: K, category: bpu, income: 1000000, funding: a, from_csv: k.csv}\n")
    return path


def test_a_village_listed_twice_is_an_error_at_the_second_row_naming_the_first(tmp_path, ucj):
    path = _csv_scenario(tmp_path, "village,district,workers\nA,X,5\nB,X,2\n A ,X,5\n")
    run = ucj("validate", str(path))
    assert run.returncode == 1 or run.returncode == 2
    csv = str(tmp_path / "k.csv")
    assert (f"{csv}:4:1: village 'A' of district 'X' is listed again (first at {csv}:2:1); expected its workers on one row"
            in run.output) and "[E-csv-duplicate-village]" in run.output
    indonesian = ucj("validate", "--lang", "id", str(path))
    assert "tercantum lagi (pertama di" in indonesian.output


def test_the_same_village_in_another_district_or_with_other_terms_is_not_a_duplicate(tmp_path, ucj):
    path = _csv_scenario(tmp_path, "village,district,workers,start\nA,X,5,\nA,Y,2,\nA,X,3,2025-04\n")
    run = ucj("simulate", str(path), "-f", "json")
    assert run.returncode == 0, run.output


PART_YEAR = str(Path(__file__).parent / "fixtures" / "part-year.yaml")


@pytest.mark.parametrize("by", ["district", "village"])
def test_months_without_contributions_by_place_are_a_dash_in_text_and_a_number_in_data(ucj, by):
    table = ucj("simulate", PART_YEAR, "--by", by).stdout
    rows = [line.split() for line in table.splitlines() if "000 " in line]  # the places' rows and the total
    assert rows and all("0" not in row[-13:-1] for row in rows) and all("-" in row[-13:-1] for row in rows)
    markdown = ucj("simulate", PART_YEAR, "--by", by, "-f", "markdown").stdout
    assert "| - |" in markdown and "| **-** |" in markdown
    csv = ucj("simulate", PART_YEAR, "--by", by, "-f", "csv").stdout
    assert ",0," in csv


def _chart(columns: int, lang: str, compare: bool) -> str:
    import io
    import re

    from rich.console import Console

    from ucj_cli.cli.common import read_scenario, run_simulation
    from ucj_cli.engine.compare import compare as compare_results
    from ucj_cli.i18n import set_language
    from ucj_cli.render.chart import print_compare_chart, print_year_chart

    set_language(lang)
    try:
        page = io.StringIO()
        console = Console(file=page, width=columns, color_system=None, highlight=False)
        if compare:
            fixtures = Path(__file__).parent / "fixtures"
            base, other = (run_simulation(read_scenario(str(fixtures / name))) for name in ("compare-2024.yaml", "compare-2025.yaml"))
            print_compare_chart(compare_results(base, other, "cohort"), console)
        else:
            print_year_chart(run_simulation(read_scenario(SCENARIO)), console)
        return re.sub(r"[ \t]+\n", "\n", page.getvalue())
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("compare", [False, True])
def test_the_chart_shows_every_figure_whole_on_narrow_terminals(lang, compare):
    import re

    figure = re.compile(r"(?<![\d.,])\d[\d.,]*\d%?(?![\d.,%])")
    wide = _chart(80, lang, compare)
    expected = sorted(set(figure.findall(wide)))
    assert len(expected) > 5
    legend = next(line for line in wide.splitlines() if line.startswith("░"))
    for columns in (20, 30, 40, 60, 80):
        chart = _chart(columns, lang, compare)
        assert sorted(set(figure.findall(chart))) == expected, columns
        assert all(len(line) <= max(columns, 20) for line in chart.splitlines()), columns
        if "░" in chart:  # bars drawn: the legend, wrapped, is whole
            assert legend in " ".join(line.strip() for line in chart.splitlines()), columns


@pytest.mark.parametrize("by", ["district", "village"])
def test_chart_with_by_place_is_refused_not_ignored(ucj, by):
    run = ucj("simulate", SCENARIO, "--by", by, "--chart")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().endswith(f"ucj: --chart draws the whole budget's year, not the budget by {by}; "
                                       "expected --chart without --by, or --by without --chart [E-chart-by]")
    assert "[E-chart-by]" in ucj("simulate", SCENARIO, "--by", by, "--chart", "--lang", "id").stderr
    assert ucj("simulate", SCENARIO, "--by", by, "--no-chart").returncode == 0


def test_csv_cells_are_worded_for_a_spreadsheet_not_for_yaml(tmp_path, ucj):
    path = _csv_scenario(tmp_path, "village;district;workers;income\nA;X;1.000;\nB;X;12.500;1.500\nC;X;;\nD;X;1.5;\n")
    run = ucj("validate", str(path))
    csv = str(tmp_path / "k.csv")
    lines = [line for line in run.output.splitlines() if line.startswith(csv)]
    assert f"{csv}:2:3: workers '1.000' uses thousands separators; expected a whole number >= 0, e.g. 1000 or 1_000 [E-thousands-separator]" in lines
    assert f"{csv}:3:3: workers '12.500' uses thousands separators; expected a whole number >= 0, e.g. 12500 or 12_500 [E-thousands-separator]" in lines
    assert any(line.startswith(f"{csv}:3:4: income '1.500' uses thousands separators") for line in lines)
    assert (f"{csv}:4:3: the workers cell is empty and the cohort has no `workers:`; expected a number of workers in every row, "
            "or `workers:` on the cohort for the rows that leave it empty [E-csv-empty-workers]") in lines
    assert f"{csv}:5:3: workers '1.5' has a fraction; expected a whole number >= 0 [E-fraction]" in lines
    assert "`workers:`" not in run.output.replace("has no `workers:`", "").replace("or `workers:` on the cohort", "")
    assert len(lines) == 5
