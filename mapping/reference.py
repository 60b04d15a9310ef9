"""Reference data every council starts with. Admins can add to it."""

SUPPORT_NEEDS = [
    ("training", "Training"),
    ("funding", "Funding"),
    ("premises", "Premises"),
    ("insurance", "Insurance"),
    ("dbs-checks", "DBS checks"),
    ("legal-advice", "Legal advice"),
]

SKILLS = [
    "Befriending",
    "Book-keeping and finance",
    "Caring and personal support",
    "Coaching and mentoring",
    "Cooking and food hygiene",
    "Digital skills",
    "Driving (minibus, D1 licence)",
    "Event organising",
    "First aid",
    "Fundraising",
    "Gardening and horticulture",
    "Languages and interpreting",
    "Maintenance and DIY",
    "Marketing and social media",
    "Safeguarding",
    "Sports coaching",
    "Teaching and tutoring",
    "Youth work",
]
