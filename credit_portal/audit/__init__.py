"""Append-only audit events, written by services in the same transaction as the change."""
