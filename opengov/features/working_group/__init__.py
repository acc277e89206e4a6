"""Working group: meetings, agenda, priorities, projects, yearly report."""
