"""The step-by-step mediation wizard and its pages."""
