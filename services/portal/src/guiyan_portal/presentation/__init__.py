"""What pages show, in the reader's language: amounts with their units, dates, the names of coded
things, field labels and validation errors. Pure functions of a value and a locale (zh, en)."""
