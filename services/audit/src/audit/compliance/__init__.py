"""Continuous compliance (J1-J4): rules over the event stream that raise findings."""
