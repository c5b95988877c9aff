"""Results to text and files: rich tables, JSON, CSV and Markdown. Rounding lives here."""
