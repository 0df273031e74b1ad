"""YAML files -> model objects, with every problem as a positioned diagnostic."""
