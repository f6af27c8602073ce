"""Reports and files for outside the dashboard: the report contract, CSV/XLSX exports."""
