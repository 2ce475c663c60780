"""Renderers for `ucj explain` and `ucj rules`, and the what-if marks every output carries.

Words only: every figure is read from the explanation, the budget tree or the rule book, and every
label goes through `_()` and every number through `i18n.format`, so the same explanation reads in
English and Indonesian. JSON keys and values stay English and stable for tools.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ucj_cli.engine.pricing import Component, Result
from ucj_cli.i18n import _, language
from ucj_cli.i18n import format as fmt
from ucj_cli.i18n.messages import Label
from ucj_cli.money import format_percent
from ucj_cli.period import month_label
from ucj_cli.rules.book import RuleBook, RuleList, RuleValue, Value
from ucj_cli.render import csvout

if TYPE_CHECKING:  # annotations only: a simulate's JSON and summary import this module, never the explainer
    from ucj_cli.engine.explain import CohortExplanation, Explanation, LineExplanation, Node, Span
    from ucj_cli.model import FundingScheme

Lines = list[tuple[int, str]]  # (depth, text): plain text indents, markdown nests bullets


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- values and rules as text -------------------------------------------------------------------

def value_text(value: Value, unit: str) -> str:
    if value is None:
        return _("none")
    if unit in ("percent", "percent-change"):
        return fmt.rate(value)  # type: ignore[arg-type]
    if unit == "currency-IDR":
        return fmt.rupiah(value)  # type: ignore[arg-type]
    return fmt.rule_value(unit, value)  # funding kinds, as codes


def span_text(first: int, last: int) -> str:
    if first == last:
        return fmt.month_name(first)
    return _("{first} to {last}").format(first=fmt.month_name(first), last=fmt.month_name(last))


def origin_text(rule: RuleValue) -> str:
    """What-if marks: overridden, assumed by the scenario, projected (with its working), carried forward."""
    marks = []
    if rule.origin == "override":
        marks.append(_("WHAT-IF: overridden by the scenario"))
    elif rule.origin == "assumption":
        marks.append(_("WHAT-IF: assumed by the scenario"))
    elif rule.origin == "projection" and rule.basis is not None:
        basis = rule.basis
        growth = _("assumed by the scenario") if basis.growth_origin == "assumption" else _("BPS data")
        marks.append(_("PROJECTED: {previous} x (1 + {growth}) rounded down to {unit}; GDP growth {year}: {source}").format(
            previous=fmt.rupiah(basis.previous), growth=fmt.rate(basis.growth), unit=fmt.rupiah(basis.unit), year=basis.growth_year,
            source=growth))
    if rule.assumed and rule.known_through is not None:
        marks.append(_("assumed: known only through {month} and carried forward").format(month=fmt.month_name(rule.known_through)))
    return "; ".join(marks)


def rule_text(rule: RuleValue) -> str:
    """`[name, from March 2026, reference, verified]` with any what-if mark."""
    check = _("verified") if rule.verified else _("UNVERIFIED: {why}").format(why=fmt.safe(rule.unverified, 400))
    parts = [rule.name, _("from {month}").format(month=fmt.month_name(rule.effective)), fmt.safe(rule.reference, 400)]
    parts += [] if rule.what_if and rule.verified else [check]  # a what-if value is the scenario's, not a source's
    marked = origin_text(rule)
    return "[" + ", ".join(parts) + (f"; {marked}" if marked else "") + "]"


def rule_dict(rule: RuleValue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": rule.name, "value": machine_value(rule.value, rule.unit), "unit": rule.unit, "effective": month_label(rule.effective),
        "reference": rule.reference, "verified": rule.verified, "unverified": rule.unverified, "origin": rule.origin,
        "assumed_after": month_label(rule.known_through) if rule.assumed and rule.known_through is not None else None,
    }
    if rule.basis is not None:
        basis = rule.basis
        data["basis"] = {"previous": basis.previous, "previous_effective": month_label(basis.previous_effective),
                         "growth_percent": format_percent(basis.growth), "growth_year": basis.growth_year,
                         "growth_origin": basis.growth_origin, "round_down_to": basis.unit}
    return data


def machine_value(value: Value, unit: str) -> Any:
    """A value for JSON: percentages as exact decimal strings ("0.445"), rupiah as integers."""
    if isinstance(value, Fraction):
        return format_percent(value)
    return list(value) if isinstance(value, tuple) else value


# --- explain: one cohort ------------------------------------------------------------------------

PAYER_LABELS = {"employer": Label("employer share"), "worker": Label("worker share"), "participant": Label("participant")}
CATEGORY_LABELS = {"pu": Label("wage earners (PU)"), "bpu": Label("non-wage workers (BPU)")}


def _component(step: Component, income: int, category: str) -> str:
    if step.role == "base":
        what = _("wage") if category == "pu" else _("declared income")
        if step.rule is None:
            return _("base: {what} {income} (from the scenario)").format(what=what, income=fmt.rupiah(income))
        return _("base: {base}, the {what} {income} capped by {rule}").format(
            base=fmt.rupiah(step.value), what=what, income=fmt.rupiah(income), rule=rule_text(step.rule))
    if step.role == "rate":
        return _("rate: {rate} {rule}").format(rate=fmt.rate(step.value), rule=rule_text(step.rule))
    if step.role == "flat":
        return _("flat amount: {amount} {rule}").format(amount=fmt.rupiah(step.value), rule=rule_text(step.rule))
    if step.role == "relief_rate":
        return _("temporary relief: reduced rate {rate} instead {rule}").format(rate=fmt.rate(step.value), rule=rule_text(step.rule))
    if step.role == "relief_share":
        share = fmt.rate(step.value)
        if step.applies:
            return _("temporary relief: pays {share} of the normal amount {rule}").format(share=share, rule=rule_text(step.rule))
        if step.excluded_by is not None:
            return _("temporary relief of {share} in force {relief}, but not for this funding kind: it pays the full amount {rule}").format(
                share=share, relief=rule_text(step.rule), rule=rule_text(step.excluded_by))
        return _("temporary relief of {share} in force {relief}, turned off for this funding scheme (relief: false)").format(
            share=share, relief=rule_text(step.rule))
    if step.exact == step.value:
        return _("= {amount} exactly, no rounding needed").format(amount=fmt.rupiah(step.value))
    return _("= {exact}, rounded half up to {amount}").format(amount=fmt.rupiah(step.value), exact=_exact(step.exact))


def _exact(value: Fraction | None) -> str:
    """An exact amount before rounding, to the cent where it is not whole."""
    assert value is not None
    places = next((p for p in range(7) if (value * 10**p).denominator == 1), 6)
    return fmt.rupiah(int(value)) if places == 0 else f"{fmt.rupiah(int(value))}{fmt.decimal(value - int(value), places)[1:]}"


def _workers(count: int) -> str:
    return _("1 worker") if count == 1 else _("{count} workers").format(count=fmt.number(count))


def _months(count: int) -> str:
    return _("1 month") if count == 1 else _("{count} months").format(count=fmt.number(count))


def _span_lines(span: Span, income: int, category: str) -> Lines:
    lines = [(1, f"{span_text(span.first, span.last)} ({_months(span.months)})")]
    lines += [(2, _component(step, income, category)) for step in span.part.trace]
    lines.append((2, f"{fmt.rupiah(span.part.per_person)} x {_workers(span.workers)} x {_months(span.months)} = {fmt.rupiah(span.amount)}"))
    return lines


def _line_heading(line: LineExplanation, scheme: "FundingScheme | None" = None) -> str:
    if line.payer == "participant" and scheme is not None and scheme.kind != "self":  # a scheme pays for the participant
        label = _("{program}, paid by {scheme} on the participant's behalf").format(program=line.program.upper(), scheme=fmt.safe(scheme.name))
    else:
        label = f"{line.program.upper()}, {_(PAYER_LABELS[line.payer])}"
    if not line.funded:
        return _("{label} (deducted from the wage, not in the budget): {amount}").format(label=label, amount=fmt.rupiah(line.amount))
    return f"{label}: {fmt.rupiah(line.amount)}"


def _eligibility_lines(explanation: CohortExplanation) -> Lines:
    """Who may pay for the cohort: each rule that allowed its payer or category, and each breach."""
    cohort = explanation.item.cohort
    if cohort.role is None:
        return [(0, _("No role: not checked for who may pay for this cohort"))]
    lines: Lines = [(0, _("Who may pay for role {role}:").format(role=cohort.role))]
    for found in explanation.eligibility:
        span, rule, kind = span_text(found.first, found.last), rule_text(found.rule), found.scheme.kind
        if found.test == "enrolment" and found.breach:
            text = _("{span}: BREACH: enrolled as {category}; the rule enrols this role as {required} {rule}")
        elif found.test == "enrolment":
            text = _("{span}: enrolled as {category}, as the rule requires {rule}")
        elif found.breach:
            text = _("{span}: BREACH: {kind} may not pay for this role {rule}")
        else:
            text = _("{span}: {kind} may pay for this role {rule}")
        lines.append((1, text.format(span=span, category=cohort.category, required=found.required, kind=kind, rule=rule)))
    if not explanation.eligibility:
        lines.append((1, _("no rule on who may pay for this role is in force in these months")))
    return lines


def explain_lines(explanation: CohortExplanation, result: Result) -> Lines:
    item, cohort = explanation.item, explanation.item.cohort
    lines: Lines = []
    banner = what_if_banner(result.rules)
    if banner:
        lines.append((0, banner))
    lines.append((0, _("Cohort {name} of {scenario}, budget year {year}").format(
        name=fmt.safe(cohort.name), scenario=fmt.safe(result.scenario.name), year=result.scenario.year)))
    lines.append((0, _("{workers}, {category}, paid by {scheme} ({kind}), {span}").format(
        workers=_workers(cohort.workers), category=_(CATEGORY_LABELS[cohort.category]), scheme=fmt.safe(item.scheme.name),
        kind=fmt.rule_value("list", (item.scheme.kind,)), span=span_text(explanation.months[0], explanation.months[-1]) if explanation.months else _("no months"))))
    lines += _eligibility_lines(explanation)
    for line in explanation.lines:
        lines += [(0, ""), (0, _line_heading(line, item.scheme))]
        for span in line.spans:
            lines.extend(_span_lines(span, cohort.income, cohort.category))
    lines.append((0, ""))
    amount = fmt.rupiah(explanation.amount)
    if explanation.program is not None:
        total = _("Total {program} of this cohort: {amount}").format(program=explanation.program.upper(), amount=amount)
    elif len(explanation.months) == 1:
        total = _("Total for {month}: {amount} (as in `ucj simulate`)").format(month=fmt.month_name(explanation.months[0]), amount=amount)
    else:
        total = _("Cohort total: {amount} (as in `ucj simulate`)").format(amount=amount)
    lines.append((0, total))
    if explanation.worker_paid:
        lines.append((0, _("Workers' own share, outside the budget: {amount}").format(amount=fmt.rupiah(explanation.worker_paid))))
    return lines


def component_dict(step: Component) -> dict[str, Any]:
    data: dict[str, Any] = {"role": step.role, "value": machine_value(step.value, "")}
    if step.exact is not None:
        data["exact"] = f"{step.exact.numerator}/{step.exact.denominator}" if step.exact.denominator != 1 else step.exact.numerator
    if step.role.startswith("relief"):
        data["applies"] = step.applies
    data["rule"] = rule_dict(step.rule) if step.rule else None
    if step.excluded_by is not None:
        data["excluded_by"] = rule_dict(step.excluded_by)
    return data


def explain_dict(explanation: CohortExplanation, result: Result) -> dict[str, Any]:
    cohort = explanation.item.cohort
    return {
        "scenario": result.scenario.name, "year": result.scenario.year, "cohort": cohort.name, "workers": cohort.workers,
        "category": cohort.category, "funding": cohort.funding, "income": cohort.income,
        "months": [month_label(m) for m in explanation.months],
        "lines": [
            {"program": line.program, "payer": line.payer, "funded": line.funded, "amount": line.amount,
             "spans": [{"from": month_label(span.first), "to": month_label(span.last), "months": span.months,
                        "per_person": span.part.per_person, "workers": span.workers, "amount": span.amount,
                        "components": [component_dict(step) for step in span.part.trace]} for span in line.spans]}
            for line in explanation.lines
        ],
        "amount": explanation.amount, "worker_paid": explanation.worker_paid, "what_if": what_if_dict(result.rules),
        "role": cohort.role,
        "eligibility": [{"test": found.test, "breach": found.breach, "from": month_label(found.first), "to": month_label(found.last),
                         "funding_kind": found.scheme.kind, "required": found.required, "instead": list(found.instead),
                         "rule": rule_dict(found.rule)} for found in explanation.eligibility],
    }


# --- explain: the whole budget ------------------------------------------------------------------

NODE_LABELS = {"total": Label("Whole budget {name}: {amount}"), "funding": Label("Funding scheme {name}: {amount}"),
               "cohort": Label("Cohort {name}: {amount}"), "program": Label("Program {name}: {amount}")}


def tree_lines(root: Node, result: Result) -> Lines:
    lines: Lines = []
    banner = what_if_banner(result.rules)
    if banner:
        lines.append((0, banner))

    def walk(node: Node, depth: int) -> None:
        if node.kind == "funding":
            name = f"{fmt.safe(node.key)} ({fmt.safe(result.by_funding[node.key].scheme.name)})"
        else:
            name = node.key.upper() if node.kind == "program" else fmt.safe(node.key)
        lines.append((depth, _(NODE_LABELS[node.kind]).format(name=name, amount=fmt.rupiah(node.amount))))
        for child in node.children:
            walk(child, depth + 1)

    walk(root, 0)
    lines.append((0, _("Explain one cohort down to each rule: ucj explain FILE --cohort NAME")))
    return lines


def tree_dict(node: Node) -> dict[str, Any]:
    return {"kind": node.kind, "key": node.key, "amount": node.amount, "children": [tree_dict(child) for child in node.children]}


def as_text(lines: Lines) -> str:
    return "".join(f"{'  ' * depth}{text}\n" for depth, text in lines)


def as_markdown(lines: Lines) -> str:
    """Depth 0 as paragraphs in bold, deeper lines as nested bullets (text escaped for markdown)."""
    out: list[str] = []
    for depth, text in lines:
        if not text:
            continue
        text = text.replace("*", "\\*").replace("_", "\\_")
        if depth == 0:
            out += ["", f"**{text}**", ""]
        else:
            out.append(f"{'  ' * (depth - 1)}- {text}")
    return "\n".join(out).strip("\n").replace("\n\n\n", "\n\n") + "\n"


def explanation_lines(explanation: Explanation) -> Lines:
    if explanation.tree is not None:
        return tree_lines(explanation.tree, explanation.result)
    return [line for n, item in enumerate(explanation.cohorts) for line in ([(0, "")] if n else []) + list(explain_lines(item, explanation.result))]


def explanation_text(explanation: Explanation) -> str:
    return as_text(explanation_lines(explanation))


def explanation_markdown(explanation: Explanation) -> str:
    return as_markdown(explanation_lines(explanation))


def explanation_json(explanation: Explanation) -> str:
    """The tree with the run's what-if; one cohort as an object, a `from_csv` cohort's groups as a list."""
    if explanation.tree is not None:
        return dumps({**tree_dict(explanation.tree), "what_if": what_if_dict(explanation.result.rules)})
    dicts = [explain_dict(item, explanation.result) for item in explanation.cohorts]
    return dumps(dicts[0] if len(dicts) == 1 else dicts)


# --- rules -------------------------------------------------------------------------------------

RULE_COLUMNS = ("name", "value", "effective", "known_through", "reference", "verified", "origin")


def rules_lines(values: tuple[RuleValue, ...], book: RuleBook, on: int | None, name: str | None) -> Lines:
    """A block per value: name, value and dates; then its reference; then whether it is verified."""
    lines: Lines = []
    if name is not None:
        lines.append((0, _("History of {name}").format(name=name)))
        lines.append((1, _("description: {text}").format(text=fmt.safe(book.parameters[name].description, 400))))
    elif on is not None:
        lines.append((0, _("Rules in force in {month}").format(month=fmt.month_name(on))))
    else:
        lines.append((0, _("Every rule value resting on an unverified source")))
    if not values:
        lines.append((1, _("none")))
    for rule in values:
        known = book.parameters[rule.name].known_through_of(rule)
        dates = _("from {month}").format(month=fmt.month_name(rule.effective))
        if known is not None:
            dates += ", " + _("known through {month}").format(month=fmt.month_name(known))
        lines.append((0, f"{rule.name}: {value_text(rule.value, rule.unit)} ({dates})"))
        lines.append((1, _("reference: {text}").format(text=fmt.safe(rule.reference, 400))))
        lines.append((1, _("verified") if rule.verified else _("UNVERIFIED: {why}").format(why=fmt.safe(rule.unverified, 400))))
        marked = origin_text(rule)
        if marked:
            lines.append((1, marked))
    return lines


def rules_text(listing: RuleList) -> str:
    return as_text(rules_lines(listing.values, listing.book, listing.on, listing.history))


def rules_markdown(listing: RuleList) -> str:
    return as_markdown(rules_lines(listing.values, listing.book, listing.on, listing.history))


def rules_json(listing: RuleList) -> str:
    return dumps(rules_dict(listing.values, listing.book, listing.on, listing.history))


def rules_dict(values: tuple[RuleValue, ...], book: RuleBook, on: int | None, name: str | None) -> dict[str, Any]:
    return {
        "on": month_label(on) if on is not None else None, "history": name,
        "rules": [{**rule_dict(rule), "known_through": month_label(book.parameters[rule.name].known_through_of(rule))
                   if book.parameters[rule.name].known_through_of(rule) is not None else None,
                   "description": book.parameters[rule.name].description} for rule in values],
        "what_if": what_if_dict(book),
    }


def rules_csv(listing: RuleList) -> str:
    values, book = listing.values, listing.book
    out = io.StringIO()
    writer = csvout.writer(out)
    writer.writerow(RULE_COLUMNS)
    for rule in values:
        known = book.parameters[rule.name].known_through_of(rule)
        value = machine_value(rule.value, rule.unit)
        writer.writerow((fmt.csv_text(rule.name), fmt.csv_text(";".join(value)) if isinstance(value, list) else value,
                         month_label(rule.effective), month_label(known) if known is not None else "",
                         fmt.csv_text(rule.reference), "yes" if rule.verified else "no", fmt.csv_text(rule.origin)))
    return out.getvalue()


# --- what-if marks for every output --------------------------------------------------------------

def what_if_dict(book: RuleBook) -> dict[str, Any] | None:
    """`"what_if"` of the JSON outputs: the scenario's overrides and assumptions and what was
    projected from them; None for a budget priced with the rule book alone."""
    if not book.what_if and not any(rule.basis and rule.basis.growth_origin == "assumption" for rule in book.projected):
        return None
    return {
        "overrides": [{"name": c.name, "from": month_label(c.start), "value": machine_value(c.value, book.parameters[c.name].unit)}
                      for c in book.what_if.overrides],
        "assumptions": [{"name": c.name, "year": c.start // 12, "value": machine_value(c.value, book.parameters[c.name].unit)}
                        for c in book.what_if.assumptions],
        "projected": [rule_dict(rule) for rule in book.projected],
    }


def what_if_changes(book: RuleBook) -> str | None:
    """What a what-if budget changes, in one line (None for the rule book's own budget)."""
    if not book.what_if:
        return None
    changes = [f"{c.name} {_('from')} {fmt.month_name(c.start)} = {value_text(c.value, book.parameters[c.name].unit)}"
               for c in book.what_if.overrides]
    changes += [f"{c.name} {c.start // 12} = {value_text(c.value, book.parameters[c.name].unit)}" for c in book.what_if.assumptions]
    changes += [f"{rule.name} {_('from')} {fmt.month_name(rule.effective)} = {value_text(rule.value, rule.unit)} ({_('projected')})"
                for rule in book.projected if rule.basis and rule.basis.growth_origin == "assumption"]
    return "; ".join(changes)


def what_if_banner(book: RuleBook) -> str | None:
    """The line every text output of a what-if budget starts with (the simulate reports carry it as
    the first row of their summary)."""
    changes = what_if_changes(book)
    return _("WHAT-IF BUDGET, not the rule book's: {changes}").format(changes=changes) if changes else None


def what_if_notes(comparison: Any) -> list[str]:
    """Lines for a comparison: each side's what-if banner, and with `compare --baseline` the
    difference split by what-if parameter."""
    notes = []
    for label, result in ((_("Base"), comparison.base), (_("Other"), comparison.other)):
        banner = what_if_banner(result.rules)
        if banner:
            notes.append(f"{label}: {banner}")
    if comparison.what_if:
        parts = ", ".join(f"{name} {fmt.rupiah(amount)}" for name, amount in comparison.what_if)
        notes.append(_("What-if {total} = {parts}").format(total=fmt.rupiah(comparison.total.diff), parts=parts))
    return notes
