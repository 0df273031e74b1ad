"""Operator control: OSC and HTTP (with the operator page) commanding the player."""
