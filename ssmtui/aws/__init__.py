"""The only code that talks to AWS: one client per (profile, region), read-only by construction."""
