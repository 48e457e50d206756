"""Reporting: builds one report object; PDF and Excel renderers lay it out. No Qt here."""
