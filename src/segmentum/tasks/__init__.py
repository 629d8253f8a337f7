"""What each user-facing job does, given a session: one function per job, shared by the command line
and the web workspace, so neither holds logic of its own; one module per group of jobs, so that a
command imports only what it needs.

Each function takes the session (store, catalogue, language) and what the user gave, and returns
what to show (text or bytes) and, where it matters, whether it conforms. Writing files and
choosing exit codes stay with the caller.

May import: ``segmentum.reports``, ``segmentum.query``, ``segmentum.server`` and everything below.
"""
