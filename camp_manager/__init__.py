"""Camp Manager: residents, rooms, mentoring and reports for a startup camp."""

__version__ = "0.1.0"
APP_NAME = "CampManager"  # the folders of its data, settings and logs
