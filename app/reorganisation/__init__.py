"""Carrying a province's records through a reorganisation of the unit lists (1 July 2025: two levels of local
government): previewed, carried out one old unit at a time, and the cases nobody can place alone assigned by a
person (issue 16)."""
