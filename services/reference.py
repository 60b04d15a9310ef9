"""Service categories every council starts with, each with its usual risk tier.

"Hard-edged" services (social care for adults and children) are high risk: only
supporting roles count for them in the gap analysis.
"""

CATEGORIES = [
    ("libraries", "Libraries", "low"),
    ("parks", "Parks and green spaces", "low"),
    ("leisure", "Leisure and sport", "low"),
    ("museums-culture", "Museums and culture", "low"),
    ("community-centres", "Community centres", "low"),
    ("environment", "Environment and street care", "low"),
    ("youth", "Youth services", "medium"),
    ("community-transport", "Community transport", "medium"),
    ("information-advice", "Information and advice", "medium"),
    ("health-wellbeing", "Health and wellbeing", "medium"),
    ("adult-social-care", "Adult social care", "high"),
    ("childrens-services", "Children's services", "high"),
]
