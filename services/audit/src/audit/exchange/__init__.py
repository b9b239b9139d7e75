"""The audit exchange (J4): bundles of log entries an auditor verifies offline.

Import nothing heavy here: the offline verifier imports this package and must run with nothing
but the standard library, `cryptography` and `audit.log.merkle` / `audit.log.signing`.
"""
