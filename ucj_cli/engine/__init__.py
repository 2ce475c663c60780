"""Pricing and the analyses built on it (compare, explain, plan, eligibility, RKA, places): pure
functions of a checked scenario and a rule book, returning data with a typed trace. No I/O, no words."""
