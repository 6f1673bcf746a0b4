"""What the hooks put on pages (functions that return Markdown or HTML), and what those are given."""
