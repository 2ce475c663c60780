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
from typing import Any, Iterator

from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt
from ucj_cli.period import month_label
from ucj_cli.engine.rka import AccountBlock, ItemLine, Rka, SchemeBlock
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
    """'Sumber dana: DBHCHT 2025 (dbhcht, apbd) - bagan akun APBD'."""
    scheme = block.scheme
    charts = {"apbd": _("APBD chart of accounts"), "apbdes": _("village chart of accounts (APBDes)")}
    if block.chart is None:
        budget = _("outside regional budgets, no account codes")
    else:
        budget = charts.get(block.chart, block.chart)
    return f"{_('Funding source')}: {fmt.safe(scheme.name)} ({fmt.safe(scheme.id)}, {scheme.kind}) - {budget}"


def _headings() -> list[str]:
    """The form's columns: Kode Rekening | Uraian | Koefisien | Satuan | Harga | PPN | Jumlah."""
    return [_("Account code"), _("Description"), _("Coefficient"), _("Unit"), _("Price"), _("VAT"), _("Amount")]


def rows(rka: Rka, money: Any = fmt.rupiah, plain: Any = fmt.number) -> Iterator[tuple[str, list[Any]]]:
    """The form row by row as (kind, cells): kind is `scheme`, `account`, `line`, `subtotal` or
    `total`; cells follow the form's columns (`_headings`). `money` formats rupiah and `plain` the PPN (0): the identity
    for xlsx, where they are numbers."""
    for scheme in rka.schemes:
        yield "scheme", [scheme_title(scheme), "", "", "", "", "", ""]
        for block in scheme.accounts:
            yield "account", [block.account.code, account_title(block), "", "", "", "", money(block.amount)]
            for line in block.lines:
                yield "line", ["", uraian(line), koefisien(line), satuan(), money(line.price), plain(0), money(line.amount)]
        yield "subtotal", ["", f"{_('Total of funding source')} {fmt.safe(scheme.scheme.id)}", "", "", "", "", money(scheme.amount)]
    yield "total", ["", _("Total of all funding sources"), "", "", "", "", money(rka.total)]


def _title(rka: Rka) -> list[str]:
    scenario = rka.result.scenario
    lines = [_("RKA FORM - DETAILED SKPD EXPENDITURE"), fmt.safe(scenario.name)]
    if scenario.region:
        lines.append(f"{_('Region')}: {fmt.safe(scenario.region)}")
    lines.append(f"{_('Budget year')}: {scenario.year}")
    return lines


def to_text(rka: Rka) -> str:
    """The form as fixed-width text: per scheme a heading, then each account with its item lines
    indented below it, the scheme's total, and the grand total at the end."""
    body = [(kind, ["", f"  {cells[1]}", *cells[2:]] if kind == "line" else cells) for kind, cells in rows(rka)]
    headings = _headings()
    widths = [max([len(headings[i])] + [len(cells[i]) for kind, cells in body if kind != "scheme"]) for i in range(len(headings))]

    def row(cells: list[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if i >= 4 else cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    out = _title(rka)
    for kind, cells in body:
        if kind == "scheme":
            out += ["", cells[0], rule, row(headings), rule]
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


def _pipe(table: list[list[str]]) -> str:
    from tabulate import tabulate

    align = ("left", "left", "left", "left", "right", "right", "right")
    return tabulate(table, headers=_headings(), tablefmt="pipe", disable_numparse=True, colalign=align) + "\n"


def to_markdown(rka: Rka) -> str:
    title = _title(rka)
    parts = [f"# {title[0]}\n", "\n".join(f"- {item}" for item in title[1:]), ""]
    table: list[list[str]] = []
    for kind, cells in rows(rka):
        if kind == "scheme":
            if table:
                parts.append(_pipe(table))
                table = []
            parts.append(f"## {cells[0]}\n")
        elif kind == "total":
            parts.append(_pipe(table))
            parts.append(f"**{cells[1]}: {cells[6]}**")
        else:
            bold = kind in ("account", "subtotal")
            table.append([f"**{cell}**" if bold and cell else cell for cell in cells])
    return "\n".join(parts) + "\n"


def write_sheet(sheet: Any, rka: Rka) -> None:
    """The "RKA" sheet of the xlsx workbook (`render_xlsx.Sheet`): the form's columns, then the
    people and months of each item line, so that Jumlah is a live `=Orang*Bulan*Harga`, an
    account's Jumlah the SUM of its lines, a scheme's the sum of its accounts, and the total the
    sum of the schemes, each stored with ucj's own figure as its cached value."""
    book = sheet.book
    sheet.header([*_headings(), _("People"), _("Months")])
    subtotals = []
    for scheme in rka.schemes:
        sheet.text(1, scheme_title(scheme), book.bold)
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
                row = sheet.row + 1
                sheet.text(1, uraian(line))
                sheet.text(2, koefisien(line))
                sheet.text(3, satuan())
                sheet.number(4, line.price, book.money)
                sheet.number(5, 0, book.count)
                sheet.formula(6, f"=H{row}*I{row}*E{row}", book.money, line.amount)
                sheet.number(7, line.workers, book.count)
                sheet.number(8, line.months, book.count)
                sheet.row += 1
        sheet.text(1, f"{_('Total of funding source')} {scheme.scheme.id}", book.total_label)
        sheet.formula(6, "=" + ("+".join(accounts) or "0"), book.money_total, scheme.amount)
        subtotals.append(f"G{sheet.row + 1}")
        sheet.row += 2
    sheet.text(1, _("Total of all funding sources"), book.total_label)
    sheet.formula(6, "=" + ("+".join(subtotals) or "0"), book.money_total, rka.total)
    sheet.finish(0, 9)


