"""The message catalogue's index: every diagnostic code with its English sentence.

A diagnostic is data (`errors.Diagnostic`: code, arguments, position, severity); its sentence is made
only when a person reads it, in the language of the run. The English template below is the gettext
msgid; `ucj_cli/locale/id/LC_MESSAGES/ucj.po` gives the Indonesian. Arguments are typed so that each
language formats them its own way (`Rupiah(1300000)` -> `Rp 1,300,000` / `Rp1.300.000`) and text a
user typed is shown escaped (`Quoted`), so a value holding a newline never breaks a
`file:line:column:` line.

Codes are stable: `E-` errors, `W-` warnings, `N-` notes. The README lists them all; a test proves
each has a sentence in both languages and each entry is used.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ucj_cli.i18n import _, format as fmt, ngettext

NAMED = 3  # cohorts named in a note; the rest are counted


class Rupiah(int):
    """Whole rupiah, formatted per language."""


class Count(int):
    """A count of people or items, with thousands separators."""


class Quoted(str):
    """Text a user typed: shown in quotes with control characters escaped."""


class Ratio(Fraction):
    """A ratio shown as a percentage with two decimals (coverage)."""


class Rate(Fraction):
    """A contribution rate shown exactly as the regulation writes it (0.445%)."""


class Month(int):
    """A month index (year * 12 + month - 1), shown as `Maret 2025` / `March 2025`."""


class Choices(tuple):
    """A list of allowed values, shown comma-separated."""


class Cohorts(Choices):
    """Every cohort a note is about, by name (`Quoted`): shown as `cohort 'A'`, `cohorts 'A', 'B'`,
    or the first three and how many more, in the language's own plural."""


class Label(str):
    """An English label (a word, a unit) translated through the catalogue."""


class Phrase(tuple):
    """A label with arguments of its own (`Phrase("cohort {name}", name=Quoted("Nelayan"))`),
    translated, then filled in: for the parts of a sentence that vary by case."""

    def __new__(cls, label: str, **args: Any) -> "Phrase":
        return super().__new__(cls, (label, tuple(sorted(args.items()))))

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # pickled to and from batch workers
        return (self[0],), dict(self[1])


class RuleAmount(tuple):
    """A rule's value in its unit, (unit, value): a rate, whole rupiah, a list of names or none."""


def rule_amount(unit: str, value: Any) -> RuleAmount:
    return RuleAmount((unit, value))


def file_name(path: str, json: bool = False) -> str:
    """A diagnostic's file name: escaped for one line of a terminal (`fmt.path_text`), or for JSON
    only made UTF-8 (`fmt.utf8`: JSON escapes control characters itself)."""
    return fmt.utf8(path) if json else fmt.path_text(path)


def show(value: Any) -> str:
    """One argument as text in the current language."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Rupiah):
        return fmt.rupiah(int(value))
    if isinstance(value, Count):
        return fmt.number(int(value))
    if isinstance(value, Quoted):
        return f"'{fmt.safe(value)}'"
    if isinstance(value, Rate):
        return fmt.rate(Fraction(value))
    if isinstance(value, Ratio):
        return fmt.percent(Fraction(value))
    if isinstance(value, Month):
        return fmt.month_name(int(value))
    if isinstance(value, Cohorts):
        text = ngettext("cohort {names}", "cohorts {names}", len(value)).format(names=show(Choices(value[:NAMED])))
        more = len(value) - NAMED
        return _("{cohorts} and {more} more").format(cohorts=text, more=fmt.number(more)) if more > 0 else text
    if isinstance(value, Choices):
        return ", ".join(show(item) for item in value)
    if isinstance(value, Label):
        return _(str(value))
    if isinstance(value, Phrase):
        label, args = value
        return _(label).format(**{name: show(item) for name, item in args})
    if isinstance(value, RuleAmount):
        return fmt.rule_value(*value)
    return fmt.safe(value, limit=10_000)  # ucj's own text (a rule's reference): escaped, never cut


def plain(value: Any) -> Any:
    """One argument as plain, language-free JSON data (for `validate --format json`): numbers as
    numbers, exact rates and ratios as decimal strings, months as YYYY-MM, labels in English."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Month):
        return f"{int(value) // 12:04d}-{int(value) % 12 + 1:02d}"
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (Rate, Ratio)):
        return fmt.rate(Fraction(value), "en")
    if isinstance(value, Choices):
        return [plain(item) for item in value]
    if isinstance(value, Phrase):
        label, args = value
        return {"label": label, **{name: plain(item) for name, item in args}}
    if isinstance(value, RuleAmount):
        return list(value[1]) if isinstance(value[1], (list, tuple)) else fmt.rule_value(*value, lang="en")
    return str(value)


# code -> English sentence (the gettext msgid). One line each; keep the list sorted by code within
# each group so that merges stay clean.
MESSAGES: dict[str, str] = {
    # --- reading a file (source.py) ---
    "E-control-character": "unacceptable character {character} (a control character); expected printable text",
    "E-duplicate-key": "duplicate key {key} (first at line {first}); expected each key once",
    "E-file-is-folder": "is a folder; expected a YAML file",
    "E-file-not-found": "file not found; expected a path to a YAML file",
    "E-file-unreadable": "cannot read file ({reason}); expected a readable YAML file",
    "E-input-no-stdin": "standard input is closed, so no scenario could be read from `-`; expected a scenario piped in (not `<&-`), or a file name instead of `-`",
    "E-input-too-large": "input is larger than {limit} MiB; expected a scenario file",
    "E-invalid-yaml": "invalid YAML: {problem}; expected valid YAML (check indentation, colons and quotes)",
    "E-key-not-text": "a key must be plain text; expected `name: value`",
    "E-merge-not-mapping": "merge key '<<' must name a mapping; expected an alias to a mapping (<<: *defaults)",
    "E-not-unicode": "text holds a character that is not valid Unicode; expected UTF-8 text",
    "E-not-utf8": "byte {byte} is not UTF-8 text; expected a file saved as UTF-8",
    "E-recursive-alias": "recursive alias; expected a value that does not contain itself",
    "E-alias-bomb": "aliases expand too far: repeating the value here brings the values aliases repeat to {repeated}, against {written} written out (an alias bomb?); expected aliases (*name) and merge keys (<<) that repeat a value a few times",
    "E-too-deep": "the document is nested deeper than {limit} levels; expected a plain scenario",
    "E-yaml-tag": "YAML tag {tag} is not allowed; expected a plain value without a tag (e.g. workers: 6043)",
    "E-yaml-stream": "invalid YAML: {problem}; expected one YAML document",
    # --- the scenario contract (scenario.py) ---
    "E-account-code": "account code {value} of funding {scheme} is not an account code; expected dotted digits written as text, e.g. \"5.1.02.02.02.0006\"",
    "E-accounts-program": "{program} under `accounts:` of funding {scheme} is not a program; expected one of: {programs}",
    "E-accounts-shape": "`accounts:` of funding {scheme} is not a mapping; expected one code per program ({programs}), e.g. `accounts: {{jkk: \"5.1.02.02.02.0006\"}}`",
    "E-classification-code": "the {level} code {value} of funding {scheme} is not a code; expected dotted digits written as text, as SIPD shows it, e.g. \"2.07.02.2.01.0001\"",
    "E-classification-level": "{level} under `classification:` of funding {scheme} is not a level; expected one of: {levels}",
    "E-classification-shape": "`classification:` of funding {scheme} is not a mapping; expected levels ({levels}), each `{{code: \"...\", name: \"...\"}}`",
    "E-below-minimum": "{what} is {value}; expected a whole number >= {minimum}",
    "E-cohorts-not-a-list": "cohorts is {got}; expected a list of cohorts (`- name: ...`)",
    "E-signatures-not-a-list": "signatures is {got}; expected a list of signatures (`- {{place: Blitar, date: 2026-11-30, title: Bupati Blitar, name: ..., nip: ...}}`)",
    "E-covered-above-employed": "covered {covered} is more than employed {employed}; expected covered <= employed",
    "E-duplicate-cohort": "cohort name {name} is used twice (first at line {first}); expected unique names",
    "E-duplicate-program": "program '{program}' is listed twice; expected each program once",
    "E-empty-file": "the file is empty; expected a scenario with name, year, workforce, funding and cohorts",
    "E-empty-value": "'{key}' of {where} is empty; expected a value after `{key}:`",
    "E-fraction": "{what} {value} has a fraction; expected a whole number >= {minimum}",
    "E-fraction-rupiah": "{what} {value} has a fraction; expected whole rupiah >= {minimum}, with no decimals",
    "E-funding-id": "funding id {id} is not a simple name; expected letters, digits, '-', '_' or '.'",
    "E-funding-not-a-mapping": "funding is {got}; expected a mapping of scheme ids, e.g. `dbhcht: {{kind: apbd}}`",
    "E-income-outside-range": "declared income {income} of {where} is outside the BPU range; expected {low} to {high} ({reference})",
    "E-jp-on-bpu": "program 'jp' (pension) is not open to bpu participants; expected jkk, jkm or jht",
    "E-key-for-other-category": "'{key}' applies only to {other} cohorts, and {where} is {category}; expected it removed or category: {other}",
    "E-missing-key": "{where} has no '{key}'; expected `{key}:` here",
    "E-no-cohorts": "cohorts is empty; expected at least one cohort",
    "E-not-a-flag": "{what} is {got}; expected true or false",
    "E-not-a-mapping": "{where} is {got}; expected a mapping of keys ({keys})",
    "E-not-a-number": "{what} is {got}; expected a whole number >= {minimum}",
    "E-not-finite": "{what} {value} is not a finite number; expected a whole number >= {minimum}",
    "E-not-plain-number": "{what} {value} is not a plain decimal number (YAML would read it as {read}); expected digits without a leading 0, ':' or a base prefix",
    "E-not-text": "{what} is {got}; expected text",
    "E-past-december": "{where} runs {months} months from month {start}, past December; expected months <= {most}",
    "E-programs-not-a-list": "programs is {got}; expected a list such as [jkk, jkm]",
    "E-programs-without-jkk-jkm": "programs must include jkk and jkm (every participant takes both); expected e.g. [jkk, jkm]",
    "E-scenario-incomplete": "the scenario is incomplete; expected name, year, workforce, funding and cohorts",
    "E-start-not-a-month": "start {value} is not a month; expected YYYY-MM within the budget year, e.g. {example}, or a month's name (April, Apr {year})",
    "E-start-outside-year": "start {value} is outside the budget year {year}; expected a month from {year}-01 to {year}-12",
    "E-decimal-comma": "{what} {value} is written with a decimal comma; expected a whole number >= {minimum} without decimals, e.g. {plain}",
    "E-thousands-separator": "{what} {value} uses thousands separators; expected a whole number >= {minimum}, e.g. {plain} or {underscored}",
    "E-too-large": "{what} is {value}, too large; expected at most {maximum}",
    "E-undefined-funding": "funding scheme {scheme} of {where} is not defined under `funding:`; {hint}expected one of: {known}",
    "E-unknown-choice": "{what} {value} is not known; {hint}expected one of: {choices}",
    "E-unknown-key": "unknown key {key} in {where}; {hint}expected one of: {keys}",
    "E-year-out-of-range": "year {year} is out of range; expected a budget year {first}..{last}",
    # --- the rule book (rules.py): a defect in the package or in a what-if rule file ---
    "E-rule-account": "an account value is not [code, name]; expected e.g. [\"5.1.02.02.02.0006\", \"Belanja Iuran Jaminan Kecelakaan Kerja bagi Non ASN\"]",
    "E-rule-date": "'{date}' is not a date; expected YYYY-MM-01",
    "E-rule-entry": "entry {entry} of '{rule}' has no value or no reference; expected both",
    "E-rule-entry-key": "unknown key '{key}' in entry {entry} of '{rule}'; expected one of: {keys}",
    "E-rule-file-empty": "empty rule file; expected a parameter or a node of parameters",
    "E-rule-known-through": "known_through is not a month; expected YYYY-MM",
    "E-rule-list": "a list value is not a list of names; expected e.g. [apbn, apbd]",
    "E-rule-missing-field": "parameter '{rule}' has no {key}; expected `{key}:` on it or a parent node",
    "E-rule-missing-month": "no value of rule '{rule}' for {month}; the rule book has it from {first}; expected a budget year the rule book covers",
    "E-rule-no-values": "'{rule}' has neither values nor child parameters; expected `values:` or child parameters",
    "E-rule-none": "no rule files found; expected *.yaml rule files in this folder",
    "E-rule-not-a-mapping": "'{rule}' is not a mapping; expected a mapping with description and values",
    "E-rule-not-first": "'{date}' is not the first of a month; expected YYYY-MM-01 (contributions change by month)",
    "E-rule-not-text": "{what} is not text; expected text",
    "E-rule-percent": "'{value}' is not a percentage; expected a plain decimal from 0 to 100, e.g. 0.24",
    "E-rule-projection": "projection of '{rule}' is incomplete; expected exactly growth, month (1-12), round_down_to (a whole number) and reference",
    "E-rule-projection-growth": "projection of '{rule}' names growth '{growth}', which is not a percent-change parameter; expected a yearly growth parameter of the book",
    "E-rule-rupiah": "'{value}' is not whole rupiah; expected a whole number >= 0",
    "E-rule-unit": "parameter '{rule}' has unit '{unit}'; expected one of: {units}",
    "E-rule-unknown": "the rule book has no parameter '{rule}'; expected a parameter defined in the rule files",
    "E-rule-unknown-key": "unknown key '{key}' in parameter '{rule}'; expected one of: {keys}",
    "E-rule-values": "values of '{rule}' is not a mapping of effective dates; expected `YYYY-MM-01: {{value: ..., reference: ...}}`",
    # --- how ucj was called (printed as `ucj: <sentence> [code]`) ---
    "E-usage-bad-value": "invalid value for {name}: {detail}; expected the usage above (see '{command} --help')",
    "E-usage-binary-terminal": "{format} is a binary file and cannot be shown on a terminal; expected --output FILE{suffix} or a pipe",
    "E-usage-by-rka": "--by {by} does not apply to the RKA form (--format {format}); expected an rka format without --by, or --by with another format",
    "E-usage-by-too-many": "--by {by} has too many lines for a table; expected --format csv or json (or --output FILE.csv)",
    "E-usage-cannot-create-folder": "cannot create the output folder {path} ({reason}); expected a writable folder",
    "E-usage-cannot-write": "cannot write {path} ({reason}); expected a writable file path",
    "E-usage-choice": "invalid value for {name}; expected one of: {choices}",
    "E-usage-baseline": "--baseline compares one file with itself; expected FILE --baseline [--set ...] without OTHER or --year",
    "E-usage-compare-inputs": "compare needs two files; expected BASE OTHER, or one file with --year twice (e.g. --year 2024 --year 2025)",
    "E-usage-extra-arguments": "unexpected extra arguments {arguments}; expected the usage above (see '{command} --help')",
    "E-usage-format-suffix": "--format {format} does not match the suffix of {path}; expected a file name ending in {suffix}, or --format {implied}",
    "E-usage-missing": "missing {kind} {name}; expected the usage above (see '{command} --help')",
    "E-usage-missing-command": "no command given; expected one of: {commands}",
    "E-usage-no-scenarios": "no scenario files (*.yaml, *.yml) in {paths}; expected files or folders that hold them",
    "E-usage-no-such-command": "no such command {name}; {hint}expected one of: {commands}",
    "E-usage-no-such-option": "no such option {option}; {hint}expected an option listed by '{command} --help'",
    "E-usage-option-no-value": "option {option} takes no value; expected {option} on its own",
    "E-usage-option-value": "option {option} needs a value; expected {option} followed by its value",
    "E-usage-other": "{detail}; expected the usage above (see '{command} --help')",
    "E-usage-stdin-twice": "standard input can be read only once; expected at most one of BASE and OTHER as -",
    "E-usage-suffix": "cannot tell the format of {path} from its suffix; expected {suffixes} or --format",
    "E-usage-not-whole": "invalid value for {name}; expected a whole number",
    "E-usage-path-is-file": "{name} {path} is a file; expected a folder (or a name that does not exist yet)",
    "E-usage-path-is-folder": "{name} {path} is a folder; expected a file name",
    "E-usage-whole-number": "invalid value for {name}; expected a whole number >= {minimum}",
    "E-usage-year": "--year {year} is out of range; expected a budget year {first}..{last}",
    # --- warnings on a priced budget (engine.py) ---
    "W-account-missing": "funding {scheme} has no account code for {programs} ({count} cohort(s), first {first}): {practice}; expected the code the region's SIPD shows, as `accounts: {{jkk: \"...\"}}` or one `account:` under funding {scheme}",
    "W-assumed-rule": "rule '{rule}' is assumed for {months}: its last value ({value}, from {effective}) is known only through {known} and is carried forward; expected the rule book to be updated once the new value is announced",
    "W-ceiling-overrun": "funding {id} ({name}) needs {amount}, over its ceiling of {ceiling} by {over}; expected a ceiling of at least {amount} or fewer workers or months",
    "W-coverage-above-employed": "coverage would reach {peak} workers, more than the {employed} employed; expected cohorts that hold only workers not yet covered (`workforce.covered` already counts those insured before this budget), or a larger `workforce.employed`",
    # --- notes ---
    "N-unverified-rule": "rule '{rule}' ({reference}) is unverified: {reason}; it prices {cohorts}",
    # --- placeholders kept while older call sites are converted (removed when none is left) ---
    # --- explain and rules ---
    "E-explain-cohort": "cohort {name} is not in this scenario; {hint}expected one of: {choices}",
    "E-explain-month": "--month {month} is not a month of the budget year {year}; expected YYYY-MM from {year}-01 to {year}-12",
    "E-explain-needs-cohort": "--month and --program explain one cohort; expected --cohort NAME as well",
    "E-init-region": "--region is empty; expected the region's name, e.g. --region \"Kabupaten Blitar\"",
    "E-init-exists": "{path} already exists; expected a new file name (ucj init never overwrites a file)",
    "E-init-year": "--year {year} is outside the years the rule book covers; expected a year from 2016 to 2100",
    "E-rules-on": "--on {value} is not a date; expected YYYY-MM or YYYY-MM-DD, e.g. 2026-03",
    "E-rules-unknown": "--history {name} is not a rule parameter; {hint}expected one of the names `ucj rules` lists: {choices}",
    # --- what-if: overrides, assumptions, --set ---
    "E-assumption-published": "assumption {name} gives {year}, which the rule book already has ({value}, {reference}); expected an assumption only for a year not yet published",
    "E-assumption-year": "{year} in assumption {name} is not a year; expected a year such as 2026",
    "E-override-dates": "{name} is {got}; expected a mapping of months to values, e.g. {{2027-01: 5%}}",
    "E-override-list": "value {value} of {name} is not a list of funding kinds; expected a list of: {choices}",
    "E-override-roles": "value {value} of {name} is not a list of roles; expected a list of: {choices}",
    "E-override-month": "{month} in the overrides of {name} is not a month; expected YYYY-MM, e.g. 2027-01",
    "E-override-percent": "value {value} of {name} is not a percentage; expected a percentage with its sign, e.g. 5%",
    "E-override-range": "value {value} of {name} is out of range; expected a percentage from 0% to 100%",
    "E-override-rupiah": "value {value} of {name} is not whole rupiah; expected a whole number, e.g. 10000 or 10_000",
    "E-override-unknown": "{name} is not a rule parameter; {hint}expected one of: {choices}",
    "E-overrides-shape": "overrides is {got}; expected a mapping of rule parameters to dated values, e.g. `pu.jp.employer: {{2027-01: 5%}}`",
    "E-set-syntax": "--set {setting} is not NAME@YYYY-MM=VALUE; expected e.g. --set pu.jp.employer@2027-01=5%",
    "N-baseline-same": "the scenario has no what-if (no overrides, assumptions or --set), so it is the same budget under the plain rule book; every difference is zero",
    "N-project-cap": "rule {name} is carried forward past its last announced value; expected, to project it by PP 45/2015 art. 29 instead, `assumptions: {{gdp_growth: {{{year}: 5.0%}}}}` with the growth you expect",
    # --- cohorts from CSV (ucj_cli/csv_cohorts.py) ---
    "E-csv-changed": "the file changed after it was checked, so its villages no longer match the budget; expected the file unchanged while ucj runs (run the command again)",
    "E-csv-column": "column {column} is not known; {hint}expected columns among: {expected}",
    "E-csv-column-twice": "column {column} appears twice (first as column {first}); expected each column once",
    "E-csv-empty": "the file is empty; expected a header row (village, district[, workers][, income, start, months]) and one row per village",
    "E-csv-duplicate-village": "village {village} of district {district} is listed again (first at {first}); expected its workers on one row (a village repeats only with other income, start or months)",
    "E-csv-empty-workers": "the workers cell is empty and the cohort has no `workers:`; expected a number of workers in every row, or `workers:` on the cohort for the rows that leave it empty",
    "E-csv-empty-cell": "the {column} is empty; expected a name in every row",
    "E-csv-fields": "the row has {got} values and the header {want}; expected one value per column (check the separator and quotes)",
    "E-csv-more": "{count} more rows have problems, from this one on; expected every row fixed (the first 50 are listed)",
    "E-csv-no-column": "the header has no column {column}; expected village and district columns",
    "E-csv-no-rows": "the file has a header but no rows; expected one row per village",
    "E-csv-no-workers": "neither the cohort nor {path} gives workers; expected `workers:` on the cohort or a workers column",
    "E-csv-path": "from_csv is empty or not text; expected the path of a CSV file, relative to the scenario",
    "E-csv-unreadable": "cannot read {path} ({reason}); expected a CSV file, its path relative to the scenario",
    # --- output: writing results (ucj_cli/output.py, batch) ---
    "E-folder-unreadable": "this folder cannot be read ({reason}); expected a folder ucj may open and list",
    "E-output-closed": "the reader closed the output before it was complete; expected a reader that takes the whole result",
    "W-batch-result-kept": "the result {name} of a scenario that failed is kept: it changed since ucj wrote it, so it may be someone else's file now; expected it removed or moved away by hand if it is a stale result",
    "E-output-foreign": "{name} in the output folder was not written by ucj, so it is left as it is; expected it moved away, or another --out folder",
    "E-output-full": "the disk is full, so the result could not be written; expected free space on the disk",
    "E-output-is-input": "this is also an input of the run, and writing the result here would destroy it; expected another --output path",
    "E-output-no-folder": "its folder does not exist ({reason}); expected a path in an existing folder (ucj does not create folders for --output)",
    "E-output-special": "is {kind}; expected a regular file, a link to one, a FIFO or a device such as /dev/null",
    "E-output-no-stdout": "standard output is closed, so the result could not be written; expected an open standard output (not `>&-`), or --output FILE where the command has it",
    "N-batch-waiting": "another ucj batch is writing to this folder; this one waits until it has finished",
    "E-csv-cell-too-long": "the cell is longer than {limit} characters; expected a village or district name, or a number (is a closing quote missing?)",
    "E-csv-too-large": "the file is larger than {limit} MiB; expected a CSV file of at most {limit} MiB (split the villages over several files)",
    "E-csv-not-plain-number": "{what} {value} is not a plain decimal number; expected digits without a leading 0, ':' or a base prefix (write 20, not 020)",
    "E-link-broken": "this link leads to no file ({reason}); expected a link to a scenario file, or the link removed",
    "E-budget-too-large": "the budget comes to {total} (this is its largest cohort), past {limit}, the most a spreadsheet shows exactly (15 digits); expected fewer workers or a lower income",
    "E-xlsx-too-many-rows": "the sheet {sheet} would need {rows} rows, more than the {limit} a worksheet holds; expected --format csv (or json) for a budget this large",
        "E-output-write": "cannot be written ({reason}); expected a writable file in a writable folder",
    # --- eligibility: who may pay for whom (rulebook/eligibility/) ---
    "E-category-missing": "cohort {cohort} has no category, and role {role} gives none by default; expected `category:` with one of: {categories}",
    "E-village-officials-alone": "funding {scheme} gives village_spending_on_officials without village_spending; expected the village budget's total spending too",
    "E-village-spending-kind": "funding {scheme} gives village_spending, but its kind {kind} is not village money; expected it on a scheme of kind {kinds}",
    "E-village-spending-twice": "funding {scheme} gives village_spending, already given by {first}; expected one village budget's spending, on one scheme",
    "N-eligibility-skipped": "cohorts without a role: {count}; they were not checked for who may pay for them; expected `role:` on each cohort",
    "N-village-spending-cap": "the head, officials and BPD take {share} of village spending {spending} ({scheme}): {jamsostek} jamsostek priced by ucj and {other} other pay as given, within the {cap} cap of rule {rule} ({reference}); ucj checks the figures as given: summed over many villages, each village must still be within the cap",
    "N-village-spending-partial": "ucj prices only the jamsostek of the head, officials and BPD paid from village money: {jamsostek}, {share} of village spending {spending} ({scheme}), against the {cap} cap of rule {rule} ({reference}); their fixed income, allowances, end-of-term pay and health insurance are not known to ucj; expected `village_spending_on_officials:` to check the whole cap",
    "N-village-spending-unchecked": "funding {scheme} gives village_spending, but no village spending cap is in force in {year}; it was not checked",
    "W-category-required": "cohort {cohort} (role {role}) is enrolled as {category} from {first} to {last}, but rule {rule} ({reference}; {status}) enrols this role as {required}; expected category: {required} for those months (a separate cohort if earlier months differ)",
    "W-payer-barred": "cohort {cohort} (role {role}) is paid from {scheme} (kind {kind}), which may not pay for this role from {first} to {last}: rule {rule}, {reference} ({status}); expected it paid from a scheme of kind {instead}",
    "W-payer-not-listed": "cohort {cohort} (role {role}) is paid from {scheme} (kind {kind}), which may pay only for {roles} from {first} to {last}: rule {rule}, {reference} ({status}); expected it paid from a scheme of kind {instead}",
    "W-village-spending-cap": "the head, officials and BPD take {share} of village spending {spending} ({scheme}): {jamsostek} jamsostek priced by ucj and {other} other pay as given, over the {cap} cap of rule {rule} ({reference}); expected at most {limit} in all",
    # --- scenario: max_workers ---
    "E-workers-over-max": "workers {workers} of {where} is more than its max_workers {max_workers}; expected workers <= max_workers",
    # --- chart ---
    "E-chart-by": "--chart draws the whole budget's year, not the budget by {by}; expected --chart without --by, or --by without --chart",
    "E-chart-format": "--chart draws on the table format, and the format is {format}; expected --format table, or no --chart",
    # --- plan ---
    "E-plan-budget-negative": "--budget for funding {scheme} is {amount}; expected an amount of 0 or more",
    "E-plan-budget-too-large": "--budget for funding {scheme} is {amount}, too large; expected at most {maximum}, as a scenario's ceiling",
    "E-plan-budget-scheme": "--budget names funding scheme {scheme}, which the scenario does not define; expected one of: {choices}",
    "E-plan-budget-value": "--budget {value} is not SCHEME=AMOUNT; expected e.g. dbhcht=2_600_000_000 or dbhcht=2.600.000.000 (whole rupiah, in groups of three)",
    "E-plan-priority-cohort": "--priority names cohort {cohort}, which the scenario does not have; expected one of: {choices}",
    "E-plan-start": "--start {value} is not a month of the budget year {year}; expected YYYY-MM from {year}-01 to {year}-12, or a month's name (April, Apr {year})",
    "E-plan-target-coverage": "the target coverage {coverage} is out of range; expected 0% to 100%",
    "E-plan-target-over-employed": "the target of {target} participants is more than the {employed} employed; expected at most {employed}",
    "E-plan-target-percent": "--target-coverage {value} has no %; expected a percentage: did you mean {suggestion}?",
    "E-plan-target-value": "--target-coverage {value} is not a percentage; expected e.g. 35% or 35,5%",
    "E-plan-targets": "--target-coverage and --target-participants were both given; expected one of them",
    "E-write-unfaithful": "{path} was not written: the planned scenario does not read back the same from YAML; expected a scenario ucj can write exactly (please report this)",
    "E-write-is-input": "--write {path} is also an input of the run, and writing the planned scenario there would destroy it; expected another --write path",
    "E-write-same-output": "--write {path} is also the --output file, and one would overwrite the other; expected two different files",
    "E-write-stdout-taken": "--write - puts the planned scenario on standard output, where the plan table also goes; expected --output FILE for the plan as well",
    "N-plan-capped-employed": "the budgets pay for more workers than the {room} employed not yet covered; the plan stops at them (coverage {employed} workers at most)",
    "E-write-not-ours": "{path} exists and was not written by ucj plan; expected a new file name (ucj never overwrites a file it did not write)",
    "N-plan-held-office": "cohort {cohort} (role {role}) is held at its {workers} workers: their number is set by office ({rule}), never by a budget or a target; expected its count as the offices set it",
    "N-plan-dropped": "cohort {cohort} ends in {end}, before the plan starts in {start}; it is left out of the plan (0 workers)",
    "N-plan-no-budget": "funding {scheme} has no ceiling and no --budget; its cohorts keep their workers",
    "N-plan-target-met": "December already has {covered} participants, at or above the target of {target}; no workers are added",
    "W-plan-budget-too-small": "the budget of {budget} for funding {scheme} cannot pay one worker: the cheapest of its cohorts costs {cheapest} a worker over its months; expected a budget of at least {cheapest}",
    "W-plan-target-budget": "reaching the target needs {needed} from funding {scheme}, over its budget of {budget} by {over}; expected a budget of at least {needed}, or cohorts paid by other schemes",
    "W-plan-below-scenario": "cohort {cohort} is planned at {after} workers, below the scenario's {before}: the budget of funding {scheme}, {shared}, pays for no more; expected a larger budget, or --priority naming it first",
    "W-path-over-employed": "in {year} the insured in December, {covered}, are more than the employed, {employed} (coverage {coverage}); expected path.growth.covered and path.growth.employed that keep the insured at or below the employed",
    "W-plan-grown-unbounded": "cohort {cohort} grows from {before} to {after} workers and has no max_workers, so nothing says that many such workers exist; expected `max_workers:` on it (how many the region has)",
    "W-plan-target-short": "the target of {target} participants in December is not reached: {short} short; what binds: {limits}; expected larger budgets, higher max_workers or a lower target",
    "W-plan-target-no-cohort": "the target of {target} participants in December cannot be reached: no cohort is covered in December; expected a cohort that runs through December",
    # --- path ---
    "E-path-alpha-range": "alpha {alpha} for the {year} minimum wage is outside the legal range {low} to {high} ({reference}); expected an alpha from {low} to {high}",
    "E-path-alpha-value": "alpha {value} is not a number; expected a decimal such as 0.7",
    "E-path-ceiling-scheme": "path.growth.ceilings names funding scheme {scheme}, which the scenario does not define; {hint}expected one of: {choices}",
    "E-path-decimal-comma": "{where} {value} was split at its decimal comma (in `{{...}}` YAML reads it as two entries); expected it quoted, {quoted}, or written with a point, {point}",
    "E-path-total-too-large": "the road's cost through {year} comes to {total}, past {limit}, the most a spreadsheet shows exactly (15 digits); expected fewer years, fewer workers or a lower income",
    "E-path-ceiling-too-large": "path.growth.ceilings grows the ceiling of {scheme} to {ceiling} in {year}, past {limit}, the most a spreadsheet shows exactly (15 digits); expected a lower ceiling or a lower growth",
    "E-path-employed-gone": "path.growth.employed {value} leaves no one employed in {year}; expected a growth that keeps the employed at 1 or more through {through} (coverage is insured / employed)",
    "E-path-ceilings-shape": "path.growth.ceilings is {got}; expected a growth for each funding scheme id, e.g. {{apbd: 5%}}",
    "E-path-growth-percent": "{what} {value} is not a yearly growth; expected a percentage from -100% to 100%, e.g. 1% or -0.5%",
    "E-path-missing": "the scenario has no `path:` section; expected `path: {{through: YEAR, targets: {{YEAR: PERCENT}}, growth: ...}}` (README, \"ucj path\")",
    "E-path-target-range": "the {year} target {value} is not a coverage; expected a percentage from 0% to 100%, e.g. 30%",
    "E-path-target-year": "target year {value} is outside the path from {year} to {through}; expected a year from {year} to {through}",
    "E-path-targets-shape": "path.targets is {got}; expected a mapping of year to December coverage, e.g. {{2027: 27%, 2029: 30%}}",
    "E-path-through": "path.through {through} is not a year from {year} to {last}; expected the path's last year, from the scenario's year to at most {most} years after it",
    "E-path-wage-missing": "cohort {cohort} is paid the minimum wage, but path.growth.minimum_wage gives nothing for the {year} wage; expected `minimum_wage: {{inflation: 2.5%, economic_growth: 5%, alpha: 0.7}}` or an entry for {year}",
    "E-path-wage-year": "minimum-wage year {value} is not a later year of the path; expected a year from {first} to {through}",
    "E-wage-on-bpu": "`wage: {wage}` on {where}, a BPU cohort: a BPU income is a declared bracket, not a wage; expected `wage:` on a PU cohort only",
    "W-path-short-ceiling": "the {year} target of {target} participants is not reached, {short} short: the ceiling of funding {schemes} binds; expected a higher ceiling (or its growth) or a lower target",
    "W-path-short-cohorts": "the {year} target of {target} participants is not reached, {short} short: every cohort covered in December is at its max_workers; expected a higher max_workers, another cohort or a lower target",
    "W-path-short-none": "the {year} target of {target} participants is not reached, {short} short: no cohort covered in December can grow; expected a cohort that runs through December",
    "W-path-target-below": "the {year} target of {target} participants ({coverage}) is below the {covered} insured before the year's plan; nobody is added for it and nobody insured is dropped",
    # --- official regions and village codes (regions/, load/) ---
    "E-region-code": "region_code {region_code} is not a Kemendagri province or kabupaten/kota code; expected a code such as 35.05 (Kabupaten Blitar), as `ucj init --region NAME` writes it",
    "W-region-name": "region {region} is not the official name of {region_code}, {official}; expected the name Kemendagri gives the code, or the code of {region}",
    "E-employed-above-population": "employed {employed} is more than the {population} people of {region} ({source}); expected the employed population (BPS Sakernas, penduduk bekerja), which is below the population",
    "W-employed-share": "employed {employed} is {share} of the {population} people of {region} ({source}), above 75%; expected the employed population from BPS Sakernas (penduduk bekerja), about half the population in most regions",
    "E-init-region-unknown": '--region {region} is not a kabupaten/kota in Kemendagri\'s list; {hint}expected its name ("Kabupaten Blitar"), its code (35.05) or a part of its name no other region has',
    "E-init-region-ambiguous": "--region {region} matches {choices}; expected one of them by its full name or its code",
    "E-init-villages-name": "--villages {path} is a file name that is not UTF-8, which the starter's `from_csv:` cannot hold; expected a UTF-8 file name",
    "E-init-villages-region": '--villages lists the villages of one kabupaten/kota, and --region names none; expected e.g. --region "Kabupaten Blitar" --villages desa.csv',
    "E-csv-village-code": "code {village_code} is not a Kemendagri desa/kelurahan code; expected a code such as 35.05.01.2001 (`ucj init --region NAME --villages FILE.csv` lists a region's villages with their codes)",
    "W-csv-village-name": "code {village_code} is {official} (kecamatan {district}) in Kemendagri's list, not {village}; expected the official name, or the code of {village}",
    "E-csv-village-outside": "code {village_code} ({official}) is a village of {other}, outside region_code {region} ({name}); expected only the villages of {name}",
    "W-csv-village-unknown": "village {village} is not a desa/kelurahan of kecamatan {district} in {region}; {hint}expected its name in Kemendagri's list, or its code in a `kode` column",
    "W-csv-district-unknown": "kecamatan {district} is not a kecamatan of {region}; {hint}expected its name in Kemendagri's list, or the village's code in a `kode` column",
}


def render(code: str, args: tuple[tuple[str, Any], ...]) -> str:
    """The sentence for `code` in the current language, with its arguments filled in."""
    template = _(MESSAGES[code])
    return template.format(**{name: show(value) for name, value in args})
