"""Reports: the case file, periodic statistics, the audit extract and the boards of the home pages."""
