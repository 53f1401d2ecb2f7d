"""Screenshots of the real app, made by ``python -m screenshots.generate``."""
