"""The import wizard: a resident or room list from a spreadsheet, in six steps.

`page.ImportPage` hosts the steps, one class each: file → sheet → column mapping →
preview → confirm → summary. What one step hands on to the next is in `step.ImportState`.
"""
