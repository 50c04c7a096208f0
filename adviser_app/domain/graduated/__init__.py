"""SEN support's graduated approach: assess-plan-do-review cycles, parent meetings, the Code's
expectations, the pupil passport and their summaries."""
