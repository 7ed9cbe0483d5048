"""One module per group of CLI commands; each imports heavy libraries only inside functions."""
