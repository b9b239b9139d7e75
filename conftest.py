"""Fixtures on real PostgreSQL and NATS for every test in the repository (see govit_kit.testing)."""

pytest_plugins = ["govit_kit.testing"]
