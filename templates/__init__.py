"""Package data: report templates (Jinja2) and the print stylesheet."""
