"""Excel ledgers (台账) in and out: reading a sheet into rows, the columns between Chinese
headers and `ProjectFields`, writing workbooks, and cells kept as data, never formulas."""
