"""ssmtui: a live terminal dashboard for AWS Systems Manager Run Command."""

__version__ = "0.1.0"
