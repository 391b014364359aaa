"""The SQL files, installed as the package data ``ivig_lit.sql`` (see setup.py); no Python here."""
