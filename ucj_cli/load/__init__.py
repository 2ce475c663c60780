"""Input: YAML and CSV in, a checked `model.Scenario` out (with every problem located), plus what is
made from the same tables: the JSON Schema and the scenario writer. Imports only the rule book and
the layers below it."""
