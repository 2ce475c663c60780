"""Diagnostics as data: every code has a sentence in both languages, every catalogue entry is used,
user text never breaks a `file:line:column:` line, and the machine formats carry the codes."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
import typer

import ucj_cli
from conftest import FIXTURES, invoke_ucj, scenario_of
from ucj_cli.errors import Diagnostic, Mark, ScenarioError, diagnostic
from ucj_cli.api import simulate
from ucj_cli.i18n import set_language
from ucj_cli.i18n.messages import MESSAGES, Count, Month, Phrase, Quoted, Rupiah, plain
from ucj_cli.i18n.msgfmt import catalogues, parse_po

PACKAGE = Path(ucj_cli.__file__).parent
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
CATALOGUE = parse_po((PACKAGE / "locale" / "id" / "LC_MESSAGES" / "ucj.po").read_text(encoding="utf-8"))
# A label is written once, literally, where it is used: _("..."), Label("...") or Phrase("...", ...).
LABEL = re.compile(r"""(?:\b_|\bLabel|\bPhrase)\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def _sources(root: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.py")))


# A plural label: ngettext("one", "many", count), in the catalogue as "one\\0many".
PLURAL = re.compile(r"""\bngettext\(\s*("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*")""")


def _labels(text: str) -> set[str]:
    plurals = {eval(one) + "\0" + eval(many) for one, many in PLURAL.findall(text)}  # noqa: S307 - string literals only
    return {eval(literal) for literal in LABEL.findall(text)} | plurals  # noqa: S307 - string literals only


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_there_is_one_catalogue():
    assert [po.parent.parent.name for po in catalogues()] == ["id"]


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_an_indonesian_sentence_with_the_same_arguments(code):
    assert re.fullmatch(r"[EWN]-[a-z0-9]+(-[a-z0-9]+)*", code)
    english = MESSAGES[code]
    indonesian = CATALOGUE.get(english)
    assert indonesian and indonesian != english, f"{code}: no Indonesian in ucj.po"
    assert _fields(indonesian) == _fields(english), code
    assert "; " in english and ("; seharusnya" in indonesian) == ("; expected" in english), code


def test_every_catalogue_entry_is_used():
    ours = _labels(_sources(PACKAGE))
    typers = _labels(_sources(Path(typer.__file__).parent))  # Typer's own labels (Options, Error...)
    used = set(MESSAGES.values()) | ours | typers | {""}
    unused = sorted(set(CATALOGUE) - used)
    assert not unused, f"in ucj.po but used nowhere: {unused}"


def test_every_label_of_ucj_has_an_indonesian_entry_or_reads_the_same():
    same_in_both = {"{kind} {value}", "({kind})", "program"}
    missing = sorted(label for label in _labels(_sources(PACKAGE)) - same_in_both if label not in CATALOGUE)
    assert not missing, f"labels without Indonesian: {missing}"


def test_every_code_used_in_the_sources_is_in_the_catalogue_index():
    text = _sources(PACKAGE)
    used = set(re.findall(r"""["']([EWN]-[a-z0-9]+(?:-[a-z0-9]+)*)["']""", text))
    assert used - set(MESSAGES) == set()
    assert set(MESSAGES) - used == set(), "codes nothing raises"


def test_the_readme_lists_every_code_once():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([EWN]-[a-z0-9-]+)` \|", readme, re.M)
    assert sorted(listed) == sorted(MESSAGES)


def test_a_diagnostic_cannot_be_free_text():
    with pytest.raises(ValueError, match="unknown diagnostic code"):
        Diagnostic(Mark("x.yaml"), "E-made-up")
    assert "message" not in Diagnostic.__dataclass_fields__


def test_the_sentence_follows_the_language_and_the_data_does_not():
    item = diagnostic(Mark("a.yaml", 3, 14), "W-ceiling-overrun", id=Quoted("dbhcht"), name=Quoted("DBHCHT"),
                      amount=Rupiah(1_310_400_000), ceiling=Rupiah(1_300_000_000), over=Rupiah(10_400_000))
    english = item.to_json()
    assert str(item) == ("a.yaml:3:14: warning: funding 'dbhcht' ('DBHCHT') needs Rp 1,310,400,000, over its ceiling of "
                         "Rp 1,300,000,000 by Rp 10,400,000; expected a ceiling of at least Rp 1,310,400,000 or fewer workers "
                         "or months [W-ceiling-overrun]")
    set_language("id")
    assert str(item) == ("a.yaml:3:14: peringatan: sumber dana 'dbhcht' ('DBHCHT') membutuhkan Rp1.310.400.000, melampaui "
                         "pagunya Rp1.300.000.000 sebesar Rp10.400.000; seharusnya pagu paling sedikit Rp1.310.400.000, atau "
                         "jumlah pekerja atau bulan dikurangi [W-ceiling-overrun]")
    indonesian = item.to_json()
    assert {**english, "message": ""} == {**indonesian, "message": ""}
    assert english["args"] == {"amount": 1_310_400_000, "ceiling": 1_300_000_000, "id": "dbhcht", "name": "DBHCHT", "over": 10_400_000}


def test_plain_arguments_are_language_free():
    assert plain(Month(2027 * 12 + 2)) == "2027-03"
    assert plain(Count(5000)) == 5000
    assert plain(Phrase("cohort {name}", name=Quoted("Nelayan"))) == {"label": "cohort {name}", "name": "Nelayan"}


# --- user text never breaks a line -----------------------------------------------------------------

BLOCK_KEY = """name: Test
year: 2025
workforce: {employed: 100, covered: 0}
funding:
  ? |
    f
  : {kind: apbd}
cohorts:
  - {name: "A\\nB", workers: 1, category: bpu, income: 1_000_000, funding: g}
"""


def test_a_funding_id_holding_a_newline_is_refused_on_one_line():
    with pytest.raises(ScenarioError) as caught:
        ucj_cli.parse_scenario(BLOCK_KEY, "block.yaml")
    problems = caught.value.diagnostics
    assert [(d.code, d.mark.line, d.mark.column) for d in problems] == [("E-funding-id", 5, 5), ("E-undefined-funding", 9, 75)]
    for item in problems:
        assert "\n" not in str(item) and str(item).endswith(f"[{item.code}]")
    assert "funding id 'f\\n' is not a simple name" in str(problems[0])
    assert "of cohort 'A\\nB'" in str(problems[1]) and "expected one of: f\\n [" in str(problems[1])


def test_a_month_holding_a_newline_is_not_a_month():
    text = (BAD / "good.yaml").read_text(encoding="utf-8").replace("    funding: dinsos\n", "    funding: dinsos\n    start: \"2025-04\\n\"\n")
    with pytest.raises(ScenarioError) as caught:
        ucj_cli.parse_scenario(text, "start.yaml")
    (problem,) = caught.value.diagnostics
    assert problem.code == "E-start-not-a-month" and "start '2025-04\\n' is not a month" in str(problem)


@pytest.mark.parametrize("line, written, tag, column", [
    ("    workers: 10", "    workers: !!float 10", "'!!float'", 14),
    ("    workers: 10", "    workers: !evil 10", "'!evil'", 14),
    ("    workers: 10", '    workers: !!int "10"', "'!!int'", 14),
    ("  - name: Nelayan", "  - name: !!python/object/apply:os.system [echo]", "'!!python/object/apply:os.system'", 11),
    ("    kind: apbd", "    kind: !!set {apbd: null}", "'!!set'", 11),
])
def test_a_yaml_tag_is_refused_at_its_place(line, written, tag, column):
    text = (BAD / "good.yaml").read_text(encoding="utf-8").replace(line + "\n", written + "\n")
    with pytest.raises(ScenarioError) as caught:
        ucj_cli.parse_scenario(text, "tag.yaml")
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.mark.column) == ("E-yaml-tag", column) and f"YAML tag {tag} is not allowed" in str(problem)


def test_plain_and_quoted_values_carry_no_tag():
    good = (BAD / "good.yaml").read_text(encoding="utf-8")
    assert ucj_cli.parse_scenario(good.replace("name: ", "name: !!str ", 1), "str.yaml").name  # a tag that changes nothing


@pytest.mark.parametrize("text, english, indonesian", [
    ("name: @x\n", "found character that cannot start any token (while scanning for the next token)",
     "ada karakter yang tidak boleh mengawali sebuah nilai (saat membaca bagian berikutnya)"),
    ("name: x\na: b: c\n", "mapping values are not allowed", "titik dua (pasangan kunci: nilai) tidak boleh ada di sini"),
    ("a: 1\n---\nb: 2\n", "but found another document", "tetapi ada dokumen kedua (seharusnya hanya satu dokumen dalam berkas)"),
    ("a: 1\nb\n", "could not find expected ':'", "tanda ':' yang diharapkan tidak ditemukan (saat membaca sebuah kunci)"),
    ("a: " + "[" * 2000 + "\n", "exceeded maximum nesting depth", "melebihi kedalaman bersarang maksimum"),
])
def test_pyyaml_complaints_are_read_in_the_run_language(text, english, indonesian):
    with pytest.raises(ScenarioError) as caught:
        ucj_cli.parse_scenario(text, "broken.yaml")
    (problem,) = caught.value.diagnostics
    assert problem.code == "E-invalid-yaml" and english in str(problem)
    set_language("id")
    try:
        assert indonesian in str(problem) and "found" not in str(problem) and "while" not in str(problem)
    finally:
        set_language("en")


# --- the machine formats of `ucj validate` carry the codes -----------------------------------------

# `validate` runs here with --jobs 1: no worker processes for a handful of files.


@pytest.fixture
def bad_folder(monkeypatch):
    monkeypatch.chdir(BAD)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_validate_json_lists_every_file_with_coded_diagnostics(bad_folder, lang):
    done = invoke_ucj("validate", "folder", "--format", "json", "--lang", lang, "--jobs", "1")
    assert done.returncode == 2, done.output
    report = json.loads(done.stdout)
    assert report["counts"] == {"files": 5, "valid": 1, "invalid": 4, "errors": 6, "warnings": 0}
    assert [(f["file"], f["valid"]) for f in report["files"]] == [
        ("folder/a_negative.yaml", False), ("folder/b_typo.yaml", False), ("folder/c_malformed.yaml", False),
        ("folder/d_two_errors.yaml", False), ("folder/e_valid.yaml", True),
    ]
    found = [(d["code"], d["file"], d["line"], d["column"]) for f in report["files"] for d in f["diagnostics"]]
    assert found == [
        ("E-below-minimum", "folder/a_negative.yaml", 11, 14), ("E-missing-key", "folder/b_typo.yaml", 10, 5),
        ("E-unknown-key", "folder/b_typo.yaml", 11, 5), ("E-invalid-yaml", "folder/c_malformed.yaml", 2, 5),
        ("E-not-a-number", "folder/d_two_errors.yaml", 2, 7), ("E-below-minimum", "folder/d_two_errors.yaml", 11, 14),
    ]
    first = report["files"][0]["diagnostics"][0]
    assert set(first) == {"code", "severity", "file", "line", "column", "message", "args"}
    assert first["args"] == {"what": "workers", "value": -5, "minimum": 0}
    assert first["message"] == {"en": "workers is -5; expected a whole number >= 0",
                                "id": "workers bernilai -5; seharusnya bilangan bulat >= 0"}[lang]


def test_validate_github_annotations_are_titled_with_the_code(bad_folder):
    done = invoke_ucj("validate", "folder/d_two_errors.yaml", "--format", "github", "--jobs", "1")
    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        "::error file=folder/d_two_errors.yaml,line=2,col=7,title=E-not-a-number::year is text 'abc'; expected a whole number >= 2000",
        "::error file=folder/d_two_errors.yaml,line=11,col=14,title=E-below-minimum::workers is -1; expected a whole number >= 0",
    ]
    assert done.stderr == "1 file checked: 0 valid, 1 invalid; 2 errors, 0 warnings\n"


def test_validate_counts_in_indonesian(bad_folder):
    done = invoke_ucj("validate", "folder", "--lang", "id", "--jobs", "1")
    assert done.stderr.splitlines()[-1] == "5 berkas diperiksa: 1 valid, 4 tidak valid; 6 kesalahan, 0 peringatan"


def test_warnings_keep_their_code_in_json(bad_folder):
    done = invoke_ucj("validate", str(FIXTURES / "overrun.yaml"), "--format", "json", "--jobs", "1")
    assert done.returncode == 0
    (warning,) = json.loads(done.stdout)["files"][0]["diagnostics"]
    assert (warning["code"], warning["severity"], warning["line"], warning["column"]) == ("W-ceiling-overrun", "warning", 7, 14)
    assert warning["args"]["over"] == 100 * 16_800 * 12 - 1_000_000


# --- mistakes in how ucj is called -----------------------------------------------------------------

@pytest.mark.parametrize(("args", "code", "sentence"), [
    (["simulate", "--formt", "x"], "E-usage-no-such-option",
     "no such option '--formt'; did you mean '--format'? expected an option listed by 'ucj simulate --help'"),
    (["simulate"], "E-usage-missing", "missing argument 'FILE'; expected the usage above (see 'ucj simulate --help')"),
    (["simulate", "good.yaml", "-f", "xml"], "E-usage-choice", "invalid value for '--format' / '-f'; expected one of: table, json, csv, markdown, xlsx, rka, rka-csv, rka-markdown"),
    (["validate", "good.yaml", "--jobs", "-1"], "E-usage-whole-number", "invalid value for '--jobs' / '-j'; expected a whole number >= 0"),
    (["compare", "a", "b", "c"], "E-usage-extra-arguments", "unexpected extra arguments 'c'; expected the usage above (see 'ucj compare --help')"),
    (["simulatee"], "E-usage-no-such-command", "no such command 'simulatee'; did you mean 'simulate'? expected one of: simulate, compare, validate, batch, explain, rules, schema, init, plan, path"),
    (["simulate", "--strict=yes", "good.yaml"], "E-usage-option-no-value", "option '--strict' takes no value; expected '--strict' on its own"),
    (["batch", "good.yaml", "--out"], "E-usage-option-value", "option '--out' needs a value; expected '--out' followed by its value"),
    (["compare", "good.yaml", "--year", "2025", "--year", "2200"], "E-usage-year", "--year 2200 is out of range; expected a budget year 2000..2100"),
    (["compare", "good.yaml"], "E-usage-compare-inputs", "compare needs two files; expected BASE OTHER, or one file with --year twice (e.g. --year 2024 --year 2025)"),
    (["simulate", "good.yaml", "-o", "out.xyz"], "E-usage-suffix", "cannot tell the format of 'out.xyz' from its suffix; expected .txt, .json, .csv, .md, .markdown, .xlsx or --format"),
])
def test_usage_errors_are_coded_lines(bad_folder, args, code, sentence):
    done = invoke_ucj(*args)
    assert done.returncode == 2, done.output
    assert f"ucj: {sentence} [{code}]" in done.stderr.splitlines(), done.stderr
    assert "Traceback" not in done.stderr and "╭" not in done.stderr


@pytest.mark.parametrize("args, code, indonesian", [
    (("compare", "good.yaml", "--year", "abc", "--year", "2024"), "E-usage-not-whole", "tidak valid; seharusnya bilangan bulat"),
    (("batch", "good.yaml", "--out", "good.yaml"), "E-usage-path-is-file", "'good.yaml' adalah berkas; seharusnya folder"),
    (("simulate", "good.yaml", "-o", "folder"), "E-usage-path-is-folder", "'folder' adalah folder; seharusnya nama berkas"),
])
def test_usage_values_click_rejects_get_their_own_codes(bad_folder, args, code, indonesian):
    done = invoke_ucj(*args, "--lang", "id")
    assert done.returncode == 2 and done.stderr.rstrip().endswith(f"[{code}]") and indonesian in done.stderr
    assert "Input should" not in done.stderr and "is a file." not in done.stderr


def test_usage_errors_and_typer_labels_in_indonesian(bad_folder):
    done = invoke_ucj("--lang", "id", "simulate")
    assert done.stderr.splitlines() == [
        "Penggunaan: ucj simulate [OPSI] FILE",
        "ucj: argumen 'FILE' tidak diberikan; seharusnya sesuai penggunaan di atas (lihat 'ucj simulate --help') [E-usage-missing]",
    ]
    helped = invoke_ucj("simulate", "--lang", "id", "--help")  # ucj's main() reads --lang before Typer, wherever it is
    assert helped.returncode == 0
    assert "Penggunaan: ucj simulate" in helped.stdout and "Usage:" not in helped.stdout


@pytest.mark.parametrize("text, indonesian", [
    ("~\n", "skenario kosong (null); seharusnya pemetaan kunci"),
    ("name: x\nyear: 2025\nworkforce: {employed: 10, covered: 1}\nfunding: {f: {}}\ncohorts: {}\n", "cohorts berupa pemetaan; seharusnya daftar"),
    ("name: x\nyear: 2025\nworkforce: {employed: 10, covered: 1}\nfunding: []\ncohorts: []\n", "funding kosong; seharusnya pemetaan"),
])
def test_what_a_value_is_reads_naturally_in_indonesian(text, indonesian):
    with pytest.raises(ScenarioError) as caught:
        ucj_cli.parse_scenario(text, "x.yaml")
    set_language("id")
    try:
        shown = [str(item) for item in caught.value.diagnostics]
        assert any(indonesian in line for line in shown), shown
        assert not any("berupa kosong" in line or "berupa berupa" in line for line in shown)
    finally:
        set_language("en")


# The unverified-rule note holds every cohort; the language phrases it
def test_unverified_note_lists_every_cohort_and_phrases_it_per_language():
    cohorts = "".join(f"  - {{name: K{i}, workers: 1, category: bpu, income: 1_000_000, funding: desa}}\n" for i in range(5))
    result = simulate(scenario_of(cohorts))
    note = next(d for d in result.diagnostics if d.code == "N-unverified-rule")
    assert list(dict(note.args)["cohorts"]) == [f"K{i}" for i in range(5)]
    try:
        set_language("en")
        assert "cohorts 'K0', 'K1', 'K2' and 2 more" in note.text
        set_language("id")
        assert "kelompok 'K0', 'K1', 'K2' dan 2 lainnya" in note.text
    finally:
        set_language("en")
    one = simulate(scenario_of("  - {name: Solo, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n"))
    assert "cohort 'Solo'" in next(d for d in one.diagnostics if d.code == "N-unverified-rule").text
