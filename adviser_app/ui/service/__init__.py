"""The service manager's windows: figures, retention review, subject access and the audit log."""
