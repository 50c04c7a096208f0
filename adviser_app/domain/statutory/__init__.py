"""The statutory clock: working days, periods, every SEND time limit as an explained Deadline, and
the dates a child's events and disagreements produce."""
