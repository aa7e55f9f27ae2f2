"""Test harness: installs, starts and stops the example servers in examples/."""
