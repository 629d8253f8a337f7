"""Documents: the profile and segmentation report (model, Markdown/HTML, DOCX) and the terminal views.

May import: ``segmentum.session`` and below."""
