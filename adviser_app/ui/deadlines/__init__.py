"""The Deadlines view, the deadline calculator and the service's extra non-working days."""
