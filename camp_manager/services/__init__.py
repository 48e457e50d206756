"""Use cases: keyword-only functions that take a session, enforce the rules, audit.

They flush but never commit: the caller's unit of work decides, so a move or an
import is one transaction.
"""
