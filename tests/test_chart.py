"""The year at a glance: bars beside the exact figures, 80 columns, plain with NO_COLOR, and only on
a terminal unless --chart asks for it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from conftest import FIXTURES, SCENARIOS, invoke_ucj
from ucj_cli.render.chart import print_year_chart
from ucj_cli.cli.common import chart_wanted
from ucj_cli import load_scenario, simulate

BLITAR, LOMBOK = str(SCENARIOS / "blitar-2025.yaml"), str(FIXTURES / "plan-lombok-timur-2024.yaml")


def _chart(text: str, title: str = "The year at a glance") -> list[str]:
    start = text.index(title)
    lines = text[start:].splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("░"))
    return lines[: end + 1]


def test_simulate_draws_the_year_in_80_columns_beside_the_exact_figures():
    run = invoke_ucj("simulate", BLITAR, "--chart", columns=80)
    assert run.returncode == 0, run.output
    chart = _chart(run.stdout)
    assert max(len(line) for line in chart) <= 80
    assert len(chart) == 1 + 1 + 1 + 12 + 1  # title, headings, before, twelve months, legend
    assert chart[3].startswith("Jan ") and "834,972,000" in chart[3] and "28.93%" in chart[3]
    assert chart[-2].startswith("Dec ") and "941,996,400" in chart[-2] and "29.89%" in chart[-2]
    assert "\x1b" not in run.stdout


def test_bars_scale_to_the_largest_month_and_an_empty_month_has_none():
    result = simulate(load_scenario(LOMBOK))  # farmers from April: nothing spent January-March
    console = Console(file=io.StringIO(), width=80, color_system=None, force_terminal=True)
    print_year_chart(result, console)
    text = console.file.getvalue()
    assert "\x1b" not in text  # no styles at all without a colour system (NO_COLOR)
    lines = _chart(text)
    spending = [line[7:40] for line in lines[3:15]]
    assert all("█" not in part for part in spending[:3])
    full = spending[3].count("█")
    assert full > 10 and all(part.count("█") == full for part in spending[3:])


def test_the_chart_is_left_out_of_pipes_and_files_unless_asked(tmp_path):
    run = invoke_ucj("simulate", BLITAR, columns=80)
    assert "The year at a glance" not in run.stdout
    target = tmp_path / "out.txt"
    invoke_ucj("simulate", BLITAR, "--chart", "-o", str(target), columns=80)
    assert "The year at a glance" in target.read_text()
    refused = invoke_ucj("simulate", BLITAR, "--chart", "-f", "json")
    assert refused.returncode == 2 and "[E-chart-format]" in refused.output


def test_a_terminal_gets_the_chart_unless_no_chart():
    assert chart_wanted(None, "table", None, terminal=True) and not chart_wanted(False, "table", None, terminal=True)
    assert not chart_wanted(None, "table", None, terminal=False) and chart_wanted(True, "table", None, terminal=False)
    assert not chart_wanted(None, "json", None, terminal=True)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_compare_draws_two_bars_a_month(lang):
    run = invoke_ucj("compare", str(SCENARIOS / "blitar-2024.yaml"), BLITAR, "--chart", "--lang", lang, columns=80)
    assert run.returncode == 0, run.output
    chart = _chart(run.stdout, "The year at a glance" if lang == "en" else "Gambaran setahun")
    assert max(len(line) for line in chart) <= 80
    assert sum(" 2024 " in line for line in chart) == sum(" 2025 " in line for line in chart) == 13  # before + 12 months
    assert chart[-3].startswith("Dec" if lang == "en" else "Des") and chart[-2].startswith(" ")
    assert ("941,996,400" if lang == "en" else "941.996.400") in chart[-2]


def test_a_narrow_terminal_gets_shorter_bars():
    console = Console(file=io.StringIO(), width=60, color_system=None)
    print_year_chart(simulate(load_scenario(BLITAR)), console)
    assert max(len(line) for line in _chart(console.file.getvalue())) <= 60


def _chart_at(columns: int, lang: str, compare: bool) -> str:
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
            base, other = (run_simulation(read_scenario(str(FIXTURES / name))) for name in ("compare-2024.yaml", "compare-2025.yaml"))
            print_compare_chart(compare_results(base, other, "cohort"), console)
        else:
            print_year_chart(run_simulation(read_scenario(BLITAR)), console)
        return re.sub(r"[ \t]+\n", "\n", page.getvalue())
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("compare", [False, True])
def test_the_chart_shows_every_figure_whole_on_narrow_terminals(lang, compare):
    import re

    figure = re.compile(r"(?<![\d.,])\d[\d.,]*\d%?(?![\d.,%])")
    wide = _chart_at(80, lang, compare)
    expected = sorted(set(figure.findall(wide)))
    assert len(expected) > 5
    legend = next(line for line in wide.splitlines() if line.startswith("░"))
    for columns in (20, 30, 40, 60, 80):
        chart = _chart_at(columns, lang, compare)
        assert sorted(set(figure.findall(chart))) == expected, columns
        assert all(len(line) <= max(columns, 20) for line in chart.splitlines()), columns
        if "░" in chart:  # bars drawn: the legend, wrapped, is whole
            assert legend in " ".join(line.strip() for line in chart.splitlines()), columns


@pytest.mark.parametrize("by", ["district", "village"])
def test_chart_with_by_place_is_refused_not_ignored(by):
    run = invoke_ucj("simulate", BLITAR, "--by", by, "--chart")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().endswith(f"ucj: --chart draws the whole budget's year, not the budget by {by}; "
                                       "expected --chart without --by, or --by without --chart [E-chart-by]")
    assert "[E-chart-by]" in invoke_ucj("simulate", BLITAR, "--by", by, "--chart", "--lang", "id").stderr
    assert invoke_ucj("simulate", BLITAR, "--by", by, "--no-chart").returncode == 0
