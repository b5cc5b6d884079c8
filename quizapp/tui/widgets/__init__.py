"""Small widgets and renderers, one per module."""
