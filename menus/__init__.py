"""USSD menus, report forms and SMS commands as data plus small pure functions.

Nothing here imports Flask, Redis or the database.
"""
