"""The rule book: dated parameters read from `rulebook/*.yaml`, each with its regulation, article and
effective date; one `RuleBook` per run (the shipped files plus a scenario's what-if)."""
