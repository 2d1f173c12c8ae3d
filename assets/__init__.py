"""The program's data files: fonts, translations, icons, sounds (no code).

A package only so that a wheel installs them beside kiosk/ and ui/, where ui/assets.py,
ui/display/chime.py and printing/pdf/base.py find them, as in a checkout and a frozen build.
"""
