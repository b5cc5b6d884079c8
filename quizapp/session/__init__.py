"""The service layer: a quiz session over the store, independent of any UI."""
