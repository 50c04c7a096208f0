"""The graduated-approach tab: checklist, cycles, parent meetings and the pupil passport."""
