"""Renderers for a `Plan`: a Rich table in the run's language, JSON (keys stay English), and the
comments of the planned scenario file. Every figure is read from the plan; nothing here computes
money."""

from __future__ import annotations

from typing import Any

from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt
from ucj_cli.period import month_index, month_label
from ucj_cli.engine.plan import Plan, limit_phrases
from ucj_cli.i18n.messages import show
from ucj_cli.render.simulation import cell, coverage_dict, dumps, page_console, page_text, ratio, shown_diagnostics
from ucj_cli.render.explain import what_if_changes, what_if_dict


def to_dict(plan: Plan) -> dict[str, Any]:
    """The documented JSON shape (README, "ucj plan")."""
    scenario, target = plan.scenario, plan.target
    return {
        "mode": plan.mode,
        "scenario": scenario.name,
        "year": scenario.year,
        "start": None if plan.start is None else month_label(month_index(scenario.year, plan.start)),
        "shared": "priority" if plan.priority else "proportional",
        "priority": list(plan.priority),
        "total": plan.result.total,
        "funding": {
            key: {"name": item.scheme.name, "budget": item.budget, "budget_from": "option" if item.given else "ceiling" if item.budget is not None else None,
                  "used": item.used, "left": item.left, "needed": item.needed}
            for key, item in plan.schemes.items()
        },
        "cohorts": [
            {"name": item.cohort.name, "funding": item.cohort.funding, "workers_before": item.before, "workers": item.workers,
             "added": item.workers - item.before, "max_workers": item.cohort.max_workers, "per_person": item.per_person,
             "amount": item.amount, "start": month_label(month_index(scenario.year, item.cohort.start)), "months": item.cohort.months,
             "status": item.status}
            for item in plan.cohorts
        ],
        "totals": _totals(plan),
        "coverage": coverage_dict(plan.result),
        "target": None if target is None else {
            "participants": target.participants, "coverage": None if target.coverage is None else ratio(target.coverage),
            "december_before": target.december_before, "december_after": target.december_after, "reached": target.reached,
            "short": target.short, "reason": target.reason,
            "limits": [{"kind": kind, "name": name, "value": value} for kind, name, value in target.limits],
        },
        "what_if": what_if_dict(plan.result.rules),  # None unless the scenario changes the rule book
        "diagnostics": [item.to_json() for item in plan.diagnostics],
    }


def _totals(plan: Plan) -> dict[str, Any]:
    totals = plan.totals
    return {"workers_before": totals.workers_before, "workers": totals.workers, "added": totals.workers - totals.workers_before,
            "amount": totals.amount, "budget": totals.budget, "used": totals.used, "needed": totals.needed}


def _status(status: str) -> str:
    return {"planned": _("planned"), "added": _("workers added"), "kept": _("as in the scenario"), "dropped": _("left out"),
            "held": _("held: set by office")}[status]


def _money(value: int | None) -> str:
    return "-" if value is None else fmt.number(value)


def _summary(plan: Plan) -> list[tuple[str, str]]:
    scenario, coverage, target = plan.scenario, plan.result.coverage, plan.target
    changes = what_if_changes(plan.result.rules)
    rows = [(_("WHAT-IF BUDGET"), _("not the rule book's: {changes}").format(changes=changes))] if changes else []
    rows.append((_("Scenario"), f"{fmt.safe(scenario.name)} ({scenario.year})"))
    if plan.start is not None:
        rows.append((_("Enrolment from"), fmt.month_name(month_index(scenario.year, plan.start))))
    if plan.mode == "budget":
        shared = _("in the order given: {cohorts}").format(cohorts=", ".join(fmt.safe(n) for n in plan.priority)) if plan.priority \
            else _("in proportion to the scenario's workers")
        rows.append((_("Shared"), shared))
    rows.append((_("Total budget"), fmt.rupiah_long(plan.result.total)))
    before, after, employed = coverage.covered_before, coverage.covered_after, coverage.employed
    rows.append((_("Coverage in December"), _("{before} -> {after} of {employed} employed ({rate_before} -> {rate_after})").format(
        before=fmt.number(before), after=fmt.number(after), employed=fmt.number(employed),
        rate_before=fmt.percent(coverage.rate(before)), rate_after=fmt.percent(coverage.rate(after)))))
    if target is not None:
        aim = fmt.number(target.participants) + (f" ({fmt.percent(target.coverage)})" if target.coverage is not None else "")
        if target.reached:
            state = _("reached")
        else:
            reason = show(limit_phrases(target.limits)) if target.limits else _("no cohort covered in December can grow")
            state = _("not reached, {short} short (bound by {limits})").format(short=fmt.number(target.short), limits=reason)
        rows.append((_("Target in December"), f"{aim}: {state}"))
        rows.append((_("Workers added by December"), fmt.number(target.december_after - target.december_before)))
    return rows


def print_plan(plan: Plan, console: Any, quiet: bool = False) -> None:
    from rich.table import Table
    from rich.text import Text

    from ucj_cli.render.simulation import print_fitted

    title = _("Plan: the most workers each budget pays") if plan.mode == "budget" else _("Plan: the workers to add to reach a target")
    console.print(Text(title, style="bold"))
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    for label, value in _summary(plan):
        summary.add_row(cell(label), cell(value))
    console.print(summary)
    console.print()

    target_mode = plan.mode == "target"
    headers = [_("Funding"), _("Budget (Rp)"), _("From"), _("Used (Rp)"), _("Left (Rp)")] + ([_("Needed (Rp)")] if target_mode else [])
    rows = []
    for key, item in plan.schemes.items():
        source = _("plan budget") if item.given else _("ceiling") if item.budget is not None else "-"  # never a command-line flag
        rows.append([fmt.safe(key), _money(item.budget), source, _money(item.used), _money(item.left)]
                    + ([_money(item.needed)] if target_mode else []))
    totals = plan.totals
    rows.append([_("Total"), _money(totals.budget), "", _money(totals.used), ""] + ([_money(totals.needed)] if target_mode else []))
    print_fitted(console, headers, rows, {1, 3, 4, 5}, title=_("Funding schemes"), total_row=True)

    headers = [_("Cohort"), _("Funding"), _("Workers before"), _("Workers planned"), _("Max"), _("Per worker (Rp)"), _("Amount (Rp)"),
               _("Months"), _("Status")]
    rows = []
    for item in plan.cohorts:
        cohort = item.cohort
        months = fmt.month_abbr(cohort.start - 1) + ("" if cohort.months == 1 else f"-{fmt.month_abbr(cohort.end - 1)}")
        rows.append([fmt.safe(cohort.name), fmt.safe(cohort.funding), fmt.number(item.before), fmt.number(item.workers),
                     "-" if cohort.max_workers is None else fmt.number(cohort.max_workers), fmt.number(item.per_person),
                     fmt.number(item.amount), months, _status(item.status)])
    rows.append([_("Total"), "", fmt.number(totals.workers_before), fmt.number(totals.workers), "", "", fmt.number(totals.amount), "", ""])
    print_fitted(console, headers, rows, {2, 3, 4, 5, 6}, title=_("Cohorts"), total_row=True)
    for line, style in diagnostic_lines(plan, quiet):
        console.print(cell(line, style), soft_wrap=True)  # soft_wrap: a long line stays one line


def diagnostic_lines(plan: Plan, quiet: bool = False) -> list[tuple[str, str]]:
    """The plan's own warnings and notes in full, then the simulation's as `simulate` shows them
    (notes on unverified rules folded into one line, which `quiet` drops)."""
    own = [(str(item), "yellow" if item.severity == "warning" else "dim") for item in plan.notes]
    return own + [(line, "dim") for line in shown_diagnostics(plan.result.diagnostics, [plan.result], quiet)]


def to_json(plan: Plan) -> str:
    return dumps(to_dict(plan))


def page(plan: Plan, quiet: bool = False) -> str:
    """The table for a file or a pipe, at its natural width."""
    console = page_console()
    print_plan(plan, console, quiet)
    return page_text(console)


def write_header(plan: Plan, source: str) -> tuple[str, dict[str, str]]:
    """The comments of the planned scenario file: what was planned from what, and per cohort what
    changed."""
    lines = [_("written by `ucj plan` from {file}; `ucj simulate` on this file reproduces the plan.").format(file=fmt.path_text(source))]
    if plan.mode == "budget":
        lines.append(_("Budget mode: the most workers each funding scheme's budget pays."))
    else:
        lines.append(_("Target mode: {target} participants in December.").format(target=fmt.number(plan.target.participants)))
    for key, item in plan.schemes.items():
        if item.budget is not None:
            lines.append(_("{scheme}: budget {budget}, used {used}, left {left}").format(
                scheme=key, budget=fmt.rupiah(item.budget), used=fmt.rupiah(item.used), left=fmt.rupiah(item.left)))
    notes = {}
    for item in plan.cohorts:
        note = _("{status}: {before} -> {after} workers at {per_person} a worker").format(
            status=_status(item.status), before=fmt.number(item.before), after=fmt.number(item.workers), per_person=fmt.rupiah(item.per_person))
        places = item.cohort.places
        if places is not None:
            note += "\n" + _("read from {file} ({villages} villages); written here as one cohort").format(
                file=fmt.safe(places.file), villages=fmt.number(places.villages))
        notes[item.cohort.name] = note
    return "\n".join(lines), notes
