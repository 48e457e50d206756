"""Import of resident and room lists from spreadsheets: read → map → normalise → verdicts → commit. No Qt here."""
