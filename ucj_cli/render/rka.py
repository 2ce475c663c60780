"""The `rka` format: the budget as SIPD's "Formulir RKA - Rincian Belanja SKPD" (text, csv, markdown,
and rows for the xlsx workbook's "RKA" sheet).

Every figure comes from `rka.build` (the engine's per-person prices, people and months); nothing is
computed here. Labels go through the catalogue; the CLI shows this format in Indonesian unless a
language was chosen, since it is an Indonesian form. CSV headings are the form's own column names
(stable, whatever the language); amounts are plain whole rupiah there and in xlsx, `Rp1.234.567` in
the text forms.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import replace
from itertools import accumulate, chain, repeat
from operator import itemgetter, mul
from string import Formatter
from typing import Any, Callable, Iterable, Iterator, Sequence, TextIO

from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt
from ucj_cli.period import month_label
from ucj_cli.engine.rka import AccountBlock, ItemLine, Rka, SchemeBlock, VillageItem, VillageRka, Villages, VillageShape
from ucj_cli.render import csvout

CSV_COLUMNS = ("funding", "funding_name", "funding_kind", "kode_rekening", "nama_rekening", "uraian", "cohort", "programs",
               "first_month", "last_month", "koefisien", "satuan", "orang", "bulan", "harga", "ppn", "jumlah")


def _programs(programs: tuple[str, ...]) -> str:
    """'JKK', 'JKK and JKM', 'JKK, JKM, JHT and JP' in the run's language."""
    names = [program.upper() for program in programs]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {_('and')} {names[-1]}"


def uraian(line: ItemLine) -> str:
    """'Iuran JKK - Tenaga non-ASN Pemkab', with the months when the line is not the whole year."""
    text = _("{programs} contributions - {cohort}").format(programs=_programs(line.programs), cohort=fmt.safe(line.cohort))
    if line.months == 12:
        return text
    first, last = fmt.month_abbr(line.first % 12), fmt.month_abbr(line.last % 12)
    return f"{text} ({first if line.months == 1 else f'{first}-{last}'})"


def koefisien(line: ItemLine) -> str:
    """'3.000 Orang x 12 Bulan'."""
    return f"{fmt.number(line.workers)} {_('Person')} x {fmt.number(line.months)} {_('Month')}"


def satuan() -> str:
    return f"{_('Person')}/{_('Month')}"


def account_title(block: AccountBlock) -> str:
    """The account's name; what it holds, in brackets, for a scheme's own code the rule book does
    not name; a note that no code is known in a regional budget; or what it holds outside one."""
    account, programs = block.account, _programs(block.programs)
    if account.name:
        return account.name
    if account.known:
        return f"({_('{programs} contributions').format(programs=programs)})"
    if account.chart is None:
        return _("{programs} contributions").format(programs=programs)
    return _("(no account code) {programs} contributions").format(programs=programs)


def scheme_title(block: SchemeBlock) -> str:
    """'Sumber dana: DBHCHT 2025 (dbhcht, apbd) - bagan akun APBD'; a village budget's scheme is
    headed as the village's RKA / APBDes, never as an SKPD's form."""
    scheme = block.scheme
    named = fmt.safe(scheme.name) if scheme.name == scheme.id else f"{fmt.safe(scheme.name)} ({fmt.safe(scheme.id)})"
    if block.chart == "apbdes":
        return f"{_('Village RKA / APBDes')} - {_('Funding source')}: {named}"
    charts = {"apbd": _("APBD chart of accounts"), "apbdes": _("village chart of accounts (APBDes)")}
    if block.chart is None:
        budget = _("outside regional budgets, no account codes")
    else:
        budget = charts.get(block.chart, block.chart)
    return f"{_('Funding source')}: {named} - {budget}"  # its name (and id once); the kind is in the chart named


def classification_lines(block: SchemeBlock) -> list[str]:
    """The scheme's budget classification as SIPD shows it above its lines (SKPD, program, kegiatan,
    sub-kegiatan: code and name, as the scenario's `classification:` gives them); none without it."""
    labels = {"skpd": _("SKPD"), "program": _("Programme"), "kegiatan": _("Activity"), "sub_kegiatan": _("Sub-activity")}
    return [f"{labels[level]}: {code} {fmt.safe(name)}" for level, code, name in block.scheme.classification]


def _headings() -> list[str]:
    """The form's columns: Kode Rekening | Uraian | Koefisien | Satuan | Harga | PPN | Jumlah."""
    return [_("Account code"), _("Description"), _("Coefficient"), _("Unit"), _("Price"), _("VAT"), _("Amount")]


def rows(rka: Rka, money: Any = fmt.rupiah, plain: Any = fmt.number) -> Iterator[tuple[str, list[Any]]]:
    """The form row by row as (kind, cells): kind is `scheme`, `heading` (a line of the scheme's
    budget classification), `account`, `line`, `subtotal` or `total`; cells follow the form's
    columns (`_headings`). `money` formats rupiah and `plain` the PPN (0): the identity for xlsx,
    where they are numbers."""
    for scheme in rka.schemes:
        yield from _scheme_rows(scheme, money, plain)
    yield "total", ["", _("Total of all funding sources"), "", "", "", "", money(rka.total)]


def _scheme_rows(scheme: SchemeBlock, money: Any, plain: Any) -> Iterator[tuple[str, list[Any]]]:
    yield "scheme", [scheme_title(scheme), "", "", "", "", "", ""]
    for line in classification_lines(scheme):
        yield "heading", [line, "", "", "", "", "", ""]
    for block in scheme.accounts:
        yield "account", [block.account.code, account_title(block), "", "", "", "", money(block.amount)]
        for line in block.lines:
            yield "line", ["", uraian(line), koefisien(line), satuan(), money(line.price), plain(0), money(line.amount)]
    yield "subtotal", ["", f"{_('Total of funding source')} {fmt.safe(scheme.scheme.id)}", "", "", "", "", money(scheme.amount)]


def village_title(village: VillageRka) -> str:
    return place_title(village.district, village.village, village.code)


def place_title(district: str, village: str, code: str) -> str:
    """'Desa Bakung, Kecamatan Bakung'; the cohorts not read from CSV as the region's own lines."""
    if not village and not district:
        return _("Not by village: cohorts written in the scenario")
    title = _("Village {village}, district {district}").format(village=fmt.safe(village), district=fmt.safe(district))
    return f"{title} ({fmt.safe(code)})" if code else title


def village_rows(villages: Sequence[VillageRka], total: int, money: Any = fmt.rupiah,
                 plain: Any = fmt.number) -> Iterator[tuple[str, list[Any]]]:
    """The form by village: a `village` row, the village's schemes as `rows` gives them, the
    village's total (`subtotal`), and the grand total (which is the budget's)."""
    for village in villages:
        yield "village", [village_title(village), "", "", "", "", "", ""]
        for scheme in village.schemes:
            yield from _scheme_rows(scheme, money, plain)
        yield "subtotal", ["", _("Total of the village"), "", "", "", "", money(village.total)]
    yield "total", ["", _("Total of all funding sources"), "", "", "", "", money(total)]


def form_title(rka: Rka) -> str:
    """The SKPD form when the budget is a region's, the village RKA / APBDes when it is only
    villages', and a neutral title when it holds both (each scheme then says which it is)."""
    charts = {scheme.chart for scheme in rka.schemes if scheme.chart is not None}
    if charts == {"apbdes"}:
        return _("VILLAGE RKA - DETAILED APBDES EXPENDITURE")
    if "apbdes" in charts:
        return _("RKA FORMS - DETAILED EXPENDITURE BY FUNDING SOURCE")
    return _("RKA FORM - DETAILED SKPD EXPENDITURE")


def _title(rka: Rka, by_village: bool = False) -> list[str]:
    scenario = rka.result.scenario
    lines = [form_title(rka), fmt.safe(scenario.name)]
    if by_village:
        lines.append(_("One block per village: what each village puts in its APBDes"))
    if scenario.region:
        lines.append(f"{_('Region')}: {fmt.safe(scenario.region)}")
    lines.append(f"{_('Budget year')}: {scenario.year}")
    return lines


def to_text(rka: Rka) -> str:
    """The form as fixed-width text: per scheme a heading, then each account with its item lines
    indented below it, the scheme's total, the grand total, and the signatures under it."""
    return _text(_title(rka), list(rows(rka))) + _signed(rka)


def village_text(rka: Rka, villages: Sequence[VillageRka]) -> str:
    """The form by village (`--by village --format rka`): one block per village, each as the form."""
    return _text(_title(rka, by_village=True), list(village_rows(villages, rka.total))) + _signed(rka)


def signature_columns(signatures: Sequence[Any]) -> list[list[str]]:
    """The scenario's `signatures:` as a budget document is signed, one column a signer: `place,
    date`, the title, room to sign, the name and `NIP. ...` (the xlsx and the text forms)."""
    return [[", ".join(part for part in (item.place, item.date) if part) for item in signatures],
            [item.title for item in signatures], [""] * len(signatures), [""] * len(signatures), [""] * len(signatures),
            [item.name for item in signatures], [_("NIP. {nip}").format(nip=item.nip) if item.nip else "" for item in signatures]]


def _signed(rka: Rka) -> str:
    """The signatures under a text form, side by side (none: nothing)."""
    signatures = rka.result.scenario.signatures
    if not signatures:
        return ""
    columns = signature_columns(signatures)
    width = max(len(fmt.safe(text)) for row in columns for text in row) + 4
    return "\n" + "\n".join("".join(fmt.safe(text).ljust(width) for text in row).rstrip() for row in columns) + "\n"


def _text(title: list[str], rows_: list[tuple[str, list[Any]]]) -> str:
    body = [(kind, ["", f"  {cells[1]}", *cells[2:]] if kind == "line" else cells) for kind, cells in rows_]
    headings = _headings()
    widths = [max([len(headings[i])] + [len(cells[i]) for kind, cells in body if kind not in ("scheme", "heading", "village")])
              for i in range(len(headings))]

    def row(cells: list[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if i >= 4 else cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    out = list(title)
    for number, (kind, cells) in enumerate(body):
        if kind == "village":
            out += ["", "=" * len(rule), cells[0], "=" * len(rule)]
        elif kind in ("scheme", "heading"):
            out += ["", cells[0]] if kind == "scheme" else [cells[0]]
            if number + 1 == len(body) or body[number + 1][0] != "heading":
                out += [rule, row(headings), rule]
        elif kind == "total":
            out += ["", rule, row(cells), rule]
        else:
            out += [rule, row(cells)] if kind == "subtotal" else [row(cells)]
    return "\n".join(out) + "\n"


def to_csv(rka: Rka) -> str:
    """One row per item line, with its scheme and account, the form's text columns, and people,
    months, price and amount as plain numbers so a spreadsheet can redo every product."""
    out = io.StringIO()
    writer = csvout.writer(out)
    writer.writerow(CSV_COLUMNS)
    for scheme, block, line in rka.lines():
        writer.writerow((
            scheme.scheme.id, scheme.scheme.name, scheme.scheme.kind, block.account.code, block.account.name, uraian(line),
            line.cohort, " ".join(line.programs), month_label(line.first), month_label(line.last), koefisien(line), satuan(),
            line.workers, line.months, line.price, 0, line.amount,
        ))
    return out.getvalue()


VILLAGE_CSV_COLUMNS = ("district", "village", "code", *CSV_COLUMNS)


def write_village_csv(items: Iterable[VillageItem], stream: TextIO) -> None:
    """`--by village --format rka-csv`: one row per village and item line, as it is made (a
    national run has hundreds of thousands), the form's columns after the district and village;
    the text of a line shared by many villages is made once."""
    writer = csvout.writer(stream)
    writer.writerow(VILLAGE_CSV_COLUMNS)
    made: dict[tuple, tuple] = {}
    write = writer.writerow
    for item in items:
        line = item.line
        shape = (item.scheme.id, item.key, line.cohort, line.programs, line.first, line.months, line.price)
        fixed = made.get(shape)
        if fixed is None:
            scheme, account = item.scheme, item.account
            fixed = made[shape] = (scheme.id, scheme.name, scheme.kind, account.code, account.name, uraian(line), line.cohort,
                                   " ".join(line.programs), month_label(line.first), month_label(line.last))
        write((item.district, item.village, item.code, *fixed, koefisien(line), satuan(), line.workers, line.months, line.price, 0, line.amount))


def _pipe(table: list[list[str]]) -> str:
    from tabulate import tabulate

    align = ("left", "left", "left", "left", "right", "right", "right")
    return tabulate(table, headers=_headings(), tablefmt="pipe", disable_numparse=True, colalign=align) + "\n"


def to_markdown(rka: Rka) -> str:
    return _markdown(_title(rka), rows(rka), "##") + _signed_markdown(rka)


def village_markdown(rka: Rka, villages: Sequence[VillageRka]) -> str:
    return _markdown(_title(rka, by_village=True), village_rows(villages, rka.total), "###") + _signed_markdown(rka)


def _signed_markdown(rka: Rka) -> str:
    """The signatures under a markdown form: a table of one column a signer."""
    signatures = rka.result.scenario.signatures
    if not signatures:
        return ""
    columns = [[fmt.safe(text).replace("|", "\\|") for text in row] for row in signature_columns(signatures)]
    header, *body = columns
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(row) + " |" for row in body if any(row)]
    return "\n" + "\n".join(lines) + "\n"


def _markdown(title: list[str], rows_: Iterable[tuple[str, list[Any]]], scheme_level: str) -> str:
    parts = [f"# {title[0]}\n", "\n".join(f"- {item}" for item in title[1:]), ""]
    table: list[list[str]] = []
    for kind, cells in rows_:
        if kind in ("scheme", "village"):
            if table:
                parts.append(_pipe(table))
                table = []
            parts.append(f"{'##' if kind == 'village' else scheme_level} {cells[0]}\n")
        elif kind == "heading":
            parts.append(f"- {cells[0]}")
        elif kind == "total":
            parts.append(_pipe(table))
            parts.append(f"**{cells[1]}: {cells[6]}**")
        else:
            if not table and parts[-1].startswith("- "):
                parts.append("")  # a list of the classification, then the table
            bold = kind in ("account", "subtotal")
            table.append([f"**{cell}**" if bold and cell else cell for cell in cells])
    return "\n".join(parts) + "\n"


def write_sheet(sheet: Any, rka: Rka, workers_cells: dict[str, str] | None = None) -> None:
    """The "RKA" sheet of the xlsx workbook (`render_xlsx.Sheet`): the form's columns, then the
    people and months of each item line, so that Jumlah is a live `=Orang*Bulan*Harga`, an
    account's Jumlah the SUM of its lines, a scheme's the sum of its accounts, and the total the
    sum of the schemes, each stored with ucj's own figure as its cached value. With
    `workers_cells` (a cohort's name -> its workers cell on "By month"), a line's Orang is that
    cell and its Koefisien a formula on it, so an edit of a cohort's workers reaches the RKA lines as
    it reaches the Summary; a cohort priced in groups (`from_csv`) keeps its lines' own numbers."""
    book = sheet.book
    sheet.header([*_headings(), _("People"), _("Months")])
    subtotals = _write_schemes(sheet, rka.schemes, workers_cells or {}, book.total_label, gap=2)
    sheet.text(1, _("Total of all funding sources"), book.total_label)
    sheet.formula(6, "=" + ("+".join(subtotals) or "0"), book.money_total, rka.total)
    sheet.finish(0, 9)


def _write_schemes(sheet: Any, schemes: Sequence[SchemeBlock], workers_cells: dict[str, str], total_style: Any, gap: int) -> list[str]:
    """Each scheme's heading, classification, accounts and item lines (Jumlah a live
    `=Orang*Bulan*Harga`, an account the SUM of its lines, the scheme the sum of its accounts), each
    with ucj's figure cached; returns the schemes' total cells. A line whose cohort has a cell in
    `workers_cells` reads its Orang (and Koefisien) from that cell."""
    book = sheet.book
    subtotals = []
    made: dict[Any, str] = {}  # cells shared by many lines (a national run has a million), made once
    sheet.cells.flush()
    for scheme in schemes:
        sheet.text(1, scheme_title(scheme), book.bold)
        sheet.row += 1
        for label in classification_lines(scheme):
            sheet.text(1, label)
            sheet.row += 1
        accounts = []
        for block in scheme.accounts:
            first = sheet.row + 2  # the first line's row as Excel numbers it
            sheet.text(0, block.account.code, book.bold)
            sheet.text(1, account_title(block), book.bold)
            sheet.formula(6, f"=SUM(G{first}:G{first + len(block.lines) - 1})", book.money_total, block.amount)
            accounts.append(f"G{sheet.row + 1}")
            sheet.row += 1
            for line in block.lines:
                _write_line(sheet, line, workers_cells.get(line.cohort), made)
        sheet.text(1, f"{_('Total of funding source')} {scheme.scheme.id}", total_style)
        sheet.formula(6, "=" + ("+".join(accounts) or "0"), book.money_total, scheme.amount)
        subtotals.append(f"G{sheet.row + 1}")
        sheet.row += gap
    return subtotals


def _write_line(sheet: Any, line: ItemLine, cell: str | None, made: dict[Any, str]) -> None:
    """An item line's row, whole (`sheetxml.joined`): Uraian, Koefisien (a formula on Orang where
    Orang is the cohort's `cell` on "By month"), Satuan, Harga, PPN, Jumlah `=Orang*Bulan*Harga`,
    Orang, Bulan; with the column widths it needs."""
    from ucj_cli.render.sheetxml import formula_cell, joined, number_cell

    book, row = sheet.book, sheet.row
    shape = (line.programs, line.cohort, line.first, line.months)
    if shape not in made:
        made[shape] = sheet.text_cell(1, uraian(line))
    shown = koefisien(line)
    if cell is None:
        coefficient = sheet.text_cell(2, shown)
    else:  # FIXED: the workers with the thousands separator of the reader's Excel
        coefficient = formula_cell(f'=FIXED(H\0,0)&" {_("Person")} x "&I\0&" {_("Month")}"', book.plain, shown)
        sheet._width(2, len(shown) + 2)
    if "unit" not in made:
        made["unit"] = sheet.text_cell(3, satuan())
    cells = [(1, made[shape]), (2, coefficient), (3, made["unit"]), (4, number_cell(line.price, book.money)), (5, number_cell(0, book.count)),
             (6, formula_cell("=H\0*I\0*E\0", book.money, line.amount)),
             (7, number_cell(line.workers, book.count) if cell is None else formula_cell(f"={cell}", book.count, line.workers)),
             (8, number_cell(line.months, book.count))]
    for column, value in ((4, line.price), (5, 0), (6, line.amount), (7, line.workers), (8, line.months)):
        sheet.fit_number(column, value)
    number = str(row + 1)
    sheet.cells.write_row(row, number.join(joined(cells)), 1, 8)
    sheet.row += 1


VILLAGES_AT_ONCE = 500  # villages of one shape written at once (their values as columns)


def write_village_sheets(new_sheet: Callable[[str], Any], name: str, villages: Villages, total: int, rows: int) -> None:
    """`--by village --format xlsx`: the form by village, one block per village (its schemes,
    accounts and lines as on the RKA sheet, Jumlah a live `=Orang*Bulan*Harga`, each account the SUM
    of its lines), each village's total the sum of its schemes, and the grand total the sum of the
    item lines, all stored with ucj's figures. A village's Orang are its own count from the CSV.
    Sheets of at most `rows` rows (`name`, then `name (2)`, ...; a village never split), the grand
    total on the last one summing the item lines of every sheet. A national run has 80,000 villages
    of a few shapes: a shape's rows are made once (`_Block`), and a village's are its figures put in."""
    sheets: list[Any] = []
    ranges: list[str] = []  # each sheet's item lines, as the grand total sums them
    blocks: dict[int, _Block] = {}
    widest = _Widest()
    places, at = villages.shaped(), 0
    while at < len(places):
        shape = places[at][3]
        block = blocks.get(id(shape))
        size = block.rows if block else _village_rows(shape.schemes)
        if not sheets or sheets[-1].row + size + 1 > rows:
            if sheets:
                ranges.append(_close_village_sheet(sheets[-1], widest))
            sheets.append(new_sheet(name if not sheets else f"{name} ({len(sheets) + 1})"))
            sheets[-1].header([*_headings(), _("People"), _("Months")])
            widest = _Widest()
        sheet = sheets[-1]
        end = at + 1
        if block is not None:  # the next villages of this shape that the sheet holds, a few hundred at a time
            most = min(len(places), at + VILLAGES_AT_ONCE, at + (rows - 1 - sheet.row) // size)
            while end < most and places[end][3] is shape:
                end += 1
        titles = [place_title(district, village, code) for district, village, code, _shape, _workers in places[at:end]]
        cells = sheet.strings(titles, sheet.book.total_label)  # before the shape's own cells, as their formats are numbered
        if block is None:
            block = blocks[id(shape)] = _Block(sheet, shape)
        block.write(sheet, cells, max(map(len, titles)) + 2, [workers for *_place, workers in places[at:end]], widest)
        at = end
    if not sheets:
        sheets.append(new_sheet(name))
        sheets[-1].header([*_headings(), _("People"), _("Months")])
    sheet = sheets[-1]
    widest.fit(sheet)
    ranges.append(f'SUMIF(H2:H{sheet.row},">0",G2:G{sheet.row})')
    # the item lines are the rows with People (a national run has too many villages for one sum of their totals)
    sheet.text(1, _("Total of all funding sources"), sheet.book.total_label)
    sheet.formula(6, "=" + "+".join(ranges), sheet.book.money_total, total)
    sheet.finish(0, 9)


def _braces(text: str) -> str:
    """Literal text inside a `str.format` template."""
    return text.replace("{", "{{").replace("}", "}}")


class _Block:
    """The rows of a village of one shape as text made once, with gaps for what differs from village
    to village (`write` fills them): its rows' numbers, its title cell, each line's Koefisien cell,
    people and amount, each account's and scheme's amount, and the village's. The cells as
    `_write_schemes` writes them (formats numbered in the same order), the shape's own texts' widths
    in `widths` and figures in `figures`. Made as a `str.format` template, then split at its fields
    (`pieces`: the text between gaps; `fields`: which value fills each gap), so that many villages
    are written at once as columns of their values, zipped and joined in C."""

    def __init__(self, sheet: Any, shape: VillageShape) -> None:
        from ucj_cli.render.sheetxml import Made, joined, number_cell, style

        book = sheet.book
        lines = shape.lines
        self.rows = _village_rows(shape.schemes)
        self.positions = shape.positions  # per line, the places in a village's workers that are its people
        self.lines = lines
        self.factors = [line.months * line.price for line in lines]
        sizes = [len(block.lines) for scheme in shape.schemes for block in scheme.accounts]
        self.accounts = _ranges(sizes)  # each account's lines
        self.schemes = _ranges([len(scheme.accounts) for scheme in shape.schemes])  # each scheme's accounts
        self.cells = [_LineCells(sheet, line) for line in lines]
        self.texts = Made(str)  # a figure -> its digits
        self.peaks = [0] * len(lines)  # the most people in each line on the sheet being written
        self.widths: list[tuple[int, int]] = []
        self.figures: list[tuple[int, int]] = []
        self.columns = (0 if sizes else 1, 8 if lines else 6)
        fields = (f"{{{number}}}" for number in itertools.count(self.rows))
        title = next(fields)
        coefficient, people, amount = zip(*([next(fields) for _kind in range(3)] for _line in lines)) if lines else ((), (), ())
        account_amount, scheme_amount = [next(fields) for _block in sizes], [next(fields) for _scheme in shape.schemes]
        village_amount = next(fields)

        def text(column: int, value: str, style_: Any = None) -> tuple[int, str]:
            self.widths.append((column, len(value) + 2))
            return column, _braces(sheet.string(value, style_))

        def summed(formula: str, cached: str) -> tuple[int, str]:
            return 6, f"{style(book.money_total)}><f>{formula}</f><v>{cached}</v></c>"

        rows: list[list[tuple[int, str]]] = [[(1, title)]]  # each row's cells, its own number written \0
        scheme_rows: list[int] = []
        accounts, numbered = iter(account_amount), iter(range(len(lines)))
        for scheme, scheme_total in zip(shape.schemes, scheme_amount):
            rows.append([text(1, scheme_title(scheme), book.bold)])
            rows.extend([text(1, label)] for label in classification_lines(scheme))
            account_rows: list[int] = []
            for block in scheme.accounts:
                at = len(rows)
                account_rows.append(at)
                rows.append([text(0, block.account.code, book.bold), text(1, account_title(block), book.bold),
                             summed(f"SUM(G{{{at + 1}}}:G{{{at + len(block.lines)}}})", next(accounts))])
                for line in block.lines:
                    index = next(numbered)
                    rows.append([text(1, uraian(line)), (2, coefficient[index]), text(3, satuan()),
                                 (4, _braces(number_cell(line.price, book.money))), (5, _braces(number_cell(0, book.count))),
                                 (6, f"{style(book.money)}><f>H\0*I\0*E\0</f><v>{amount[index]}</v></c>"),
                                 (7, f"{style(book.count)}><v>{people[index]}</v></c>"), (8, _braces(number_cell(line.months, book.count)))])
                    self.figures += [(4, line.price), (5, 0), (8, line.months)]
            scheme_rows.append(len(rows))
            rows.append([text(1, f"{_('Total of funding source')} {scheme.scheme.id}", book.bold),
                         summed("+".join(f"G{{{at}}}" for at in account_rows) or "0", scheme_total)])
        rows.append([text(1, _("Total of the village"), book.total_label),
                     summed("+".join(f"G{{{at}}}" for at in scheme_rows) or "0", village_amount)])
        # the first row numbered (a blank row is before it), each next one the row after it
        template = "".join((f'<row r="{{{at}}}">' if not at else "<row>") + f"{{{at}}}".join(joined(cells)) + "</row>"
                           for at, cells in enumerate(rows))
        literals, fields, text = [], [], ""
        for literal, field, _spec, _conversion in Formatter().parse(template):  # `{{` ends a literal too
            text += literal
            if field is not None:
                literals.append(text)
                fields.append(int(field))
                text = ""
        literals.append(text)
        self.literals = literals  # the text between the gaps
        self.fields = _picker(fields)  # the value of each gap, from the values in field order

    def write(self, sheet: Any, titles: list[str], title_width: int, workers: list[tuple[int, ...]], widest: "_Widest") -> None:
        """Villages of these `workers` from the sheet's row on, their `titles` cells made by the
        caller (`title_width`: the widest): each value a column of one per village."""
        from ucj_cli.render.sheetxml import interleaved

        count, rows, row = len(workers), self.rows, sheet.row
        people = [list(map(itemgetter(*at), workers)) if len(at) == 1 else [sum(itemgetter(*at)(each)) for each in workers]
                  for at in self.positions]
        amounts = [list(map(mul, column, repeat(factor))) for column, factor in zip(people, self.factors)]
        accounts = [list(map(sum, zip(*amounts[first:end]))) for first, end in self.accounts]
        schemes = [list(map(sum, zip(*accounts[first:end]))) for first, end in self.schemes]
        villages = list(map(sum, zip(*schemes))) if schemes else [0] * count
        widest.blocks.setdefault(id(self), self)
        self.peaks[:] = map(max, self.peaks, map(max, people))
        widest.title, widest.amount = max(widest.title, title_width), max(widest.amount, *villages)
        numbers = sheet.book.row_numbers(row + 1, row + 1 + count * rows)  # each row's, a village after another
        text = self.texts.__getitem__  # figures repeat from village to village: each written once
        values = [*(numbers[at::rows] for at in range(rows)), titles,
                  *chain.from_iterable((list(map(cells.__getitem__, column)), list(map(text, column)), list(map(text, amount)))
                                       for cells, column, amount in zip(self.cells, people, amounts)),
                  *(list(map(text, column)) for column in (*accounts, *schemes, villages))]
        parts: list[str | Sequence[str]] = [self.literals[0]]
        for gap, literal in zip(self.fields(values), self.literals[1:]):
            parts += (gap, literal)
        text = interleaved(parts, count).removeprefix(f'<row r="{row + 1}"')  # the first row numbered by `write_rows`, if it must be
        sheet.cells.write_rows(row, row + count * rows - 2, "<row" + text, *self.columns)
        sheet.row += count * rows


def _picker(indices: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A tuple of the items at `indices` of a sequence (`itemgetter`, a tuple even of one or none)."""
    if len(indices) > 1:
        return itemgetter(*indices)
    return lambda items: tuple(items[at] for at in indices)


def _ranges(sizes: list[int]) -> list[tuple[int, int]]:
    """Consecutive groups of `sizes` items, as (first, end) of each."""
    ends = list(accumulate(sizes))
    return [(end - size, end) for end, size in zip(ends, sizes)]


class _LineCells(dict):  # type: ignore[type-arg]
    """A line's Koefisien cell (`3.000 Orang x 12 Bulan`) for each count of people, made when first asked for."""

    def __init__(self, sheet: Any, line: ItemLine) -> None:
        super().__init__()
        self.sheet, self.line = sheet, line

    def __missing__(self, count: int) -> str:
        made = self[count] = self.sheet.string(koefisien(replace(self.line, workers=count)))
        return made


class _Widest:
    """A sheet's widest village title and amount (the village's total: no figure is below 0), and the
    shapes on it, whose lines' peaks of people (`_Block.peaks`: a Koefisien grows with them) are
    fitted, and made ready for the next sheet, once the sheet is done."""

    def __init__(self) -> None:
        self.title = self.amount = 0
        self.blocks: dict[int, _Block] = {}

    def fit(self, sheet: Any) -> None:
        most = 0
        for block in self.blocks.values():
            for column, width in block.widths:
                sheet._width(column, width)
            for column, value in block.figures:
                sheet.fit_number(column, value)
            for line, peak in zip(block.lines, block.peaks):
                sheet._width(2, len(koefisien(replace(line, workers=peak))) + 2)
            most = max([most, *block.peaks])
            block.peaks = [0] * len(block.peaks)
        if self.blocks:
            sheet._width(1, self.title)
            sheet.fit_number(6, self.amount)
            sheet.fit_number(7, most)


def _close_village_sheet(sheet: Any, widest: _Widest) -> str:
    """Ends a full sheet of the form by village; returns the SUMIF of its item lines, as another sheet reads it."""
    from ucj_cli.render.sheetxml import quoted

    widest.fit(sheet)
    name = quoted(sheet.name)
    sheet.finish(0, 9)
    return f'SUMIF({name}!$H$2:$H${sheet.row},">0",{name}!$G$2:$G${sheet.row})'


def _village_rows(schemes: Sequence[SchemeBlock]) -> int:
    """The rows of a village's block: its title, each scheme (title, classification, accounts and
    their lines, total), the village's total and a blank row."""
    return 3 + sum(2 + len(scheme.scheme.classification) + sum(1 + len(block.lines) for block in scheme.accounts)
                   for scheme in schemes)
