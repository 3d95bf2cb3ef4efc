"""SMS commands as data plus small pure functions: parsing, texts, report-type words."""
