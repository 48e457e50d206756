"""Widgets shared by the pages: tables, KPI tiles, charts, form fields, the floor map."""
