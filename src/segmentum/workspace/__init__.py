"""``segmentum workspace``: the web workspace of a methodologist over a folder of YAML profiles.

A view over the library, not a second implementation: the pages call ``segmentum.tasks`` (search,
attribute data, profile checks, a new profile, suggestions and accepting one, reports, the stage II
ranking, queries answered by the endpoint's code), the session and its catalogue view; the templates
only lay out what they return. ``security`` guards every request (Host header, access token,
CSRF token on every write, security headers) and keeps file names inside the folder; ``folder``
holds the folder's profiles, checked once and again when a file changes; ``app`` has the routes.

May import: ``segmentum.tasks`` and everything below.
"""
