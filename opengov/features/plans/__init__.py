"""Action plans: plans, commitments, milestones, indicators; edits and imports."""
