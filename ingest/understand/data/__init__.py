"""Data files of the understanding step: the register of Finnish public organisations (CSV)."""
