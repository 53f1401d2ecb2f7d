"""The Textual dashboard: receives poll results by message, never calls AWS itself."""
