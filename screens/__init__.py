"""The Textual interface of the companion: screens, widgets and their styles."""
