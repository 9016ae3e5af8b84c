"""The desktop app: PySide6 windows that draw the core's answers and call its functions.

Only `tracer.ui.qt` imports PySide6; every other module here takes its Qt names
from it, so the binding is swapped or lazily loaded in one place.
"""
