# ruff: noqa: E501
"""The demo borough's service catalogue and the words its made-up groups are named from.

LGA Service List (LGSL) codes and labels are public reference data (the 2015 export in
../shared/data/lgsl/services_2015.csv); they are written here so the demo is the same
with or without the shared data. A test checks them against the CSV when it is there.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoService:
    category: str  # a ServiceCategory slug (services/reference.py)
    name: str
    lgsl: tuple[int, str] | None  # (code, label in the LGA Service List)
    risk: str
    statutory: bool
    annual_cost: int
    budget_change: int
    delivery: str
    review: str
    hours_needed: int  # volunteer hours a month
    # How many groups want to help: 0 nobody, 1 few ... 5 very many.
    appeal: int
    # Share of the borough's wards it covers (1 = all).
    coverage: float = 1.0
    body: str = "council"
    description: str = ""


S = DemoService
L, M, H = "low", "medium", "high"
RUN, VOL, COP, COM, CMM, TRN, ARM = (
    "council_run",
    "council_volunteers",
    "co_produced",
    "commissioned",
    "community_managed",
    "transferred",
    "arms_length",
)
SETTLED, REVIEW, OPEN, HANDED = "not_under_review", "under_review", "open_to_eoi", "handed_over"

# The service the demo group runs under a handover agreement.
HANDED_OVER_SERVICE = "Hall and meeting room hire"

# One service a line: a table is easier to read and check than 60 blocks of keywords.
# fmt: off
SERVICES = [
    # Libraries
    S("libraries", "Community libraries", (437, "Library facilities"), L, True, 2_400_000, -180_000, VOL, OPEN, 600, 5, description="Six branch libraries: lending, study space, events and help with forms."),
    S("libraries", "Mobile library", (444, "Mobile libraries"), L, False, 160_000, -160_000, RUN, REVIEW, 40, 2, 0.6, description="A library van visiting estates and sheltered housing each fortnight."),
    S("libraries", "Home library service", (1141, "Library loans"), M, False, 85_000, 0, VOL, SETTLED, 120, 3, description="Books delivered to people who cannot get to a library, by checked volunteers."),
    S("libraries", "Children's library activities", (449, "Children's libraries"), L, False, 60_000, 0, VOL, SETTLED, 80, 4, description="Rhyme times, the summer reading challenge and homework clubs."),
    S("libraries", "Library computers and digital help", (442, "Library computers and the internet"), L, False, 120_000, -20_000, VOL, SETTLED, 150, 4, description="Free computers and drop-in help to get online."),
    # Parks and green spaces
    S("parks", "Parks and open spaces maintenance", (709, "Parks and open space maintenance"), L, False, 3_100_000, -250_000, RUN, REVIEW, 400, 5, description="Grass cutting, planting, paths and benches in 40 parks."),
    S("parks", "Allotments", (510, "Allotments"), L, True, 45_000, 0, CMM, SETTLED, 30, 3, 0.5, "parish", "Plots on 12 sites; some sites are run by their allotment society."),
    S("parks", "Outdoor play areas", (670, "Outdoor play facilities"), L, False, 210_000, -30_000, RUN, SETTLED, 60, 3, description="Inspection and repair of 35 playgrounds."),
    S("parks", "Nature reserves", (1540, "Nature reserves"), L, False, 70_000, 0, VOL, SETTLED, 120, 4, 0.3, description="Three local nature reserves, managed with volunteer work parties."),
    S("parks", "Events in parks", (463, "Outdoor events"), L, False, 90_000, -90_000, RUN, OPEN, 100, 3, description="Summer fun days, the fireworks night and the borough's festival."),
    # Leisure and sport
    S("leisure", "Sports pitches and courts", (462, "Sports - pitches and courts"), L, False, 380_000, 0, ARM, SETTLED, 20, 2, 0.7, description="Football, cricket and tennis bookings in the parks."),
    S("leisure", "Swimming pools", (1674, "Swimming pools"), M, False, 1_900_000, -150_000, ARM, REVIEW, 0, 1, 0.25, description="Three pools run by the leisure trust; lifeguarded sessions and lessons."),
    S("leisure", "Sports coaching for young people", (453, "Sports coaching"), L, False, 140_000, 0, COP, SETTLED, 200, 4, description="After-school and holiday coaching with local clubs."),
    S("leisure", "Sports development", (885, "Sports development"), L, False, 95_000, -40_000, RUN, SETTLED, 40, 2, description="Grants and advice that help new sports clubs start."),
    # Museums and culture
    S("museums-culture", "Borough museum", (620, "Museums and galleries"), L, False, 420_000, -100_000, RUN, OPEN, 160, 2, 0.1, description="The local history museum and its schools programme."),
    S("museums-culture", "Local history archives", (448, "Archives"), L, False, 150_000, 0, RUN, SETTLED, 60, 2, 0.1, description="Records, maps and photographs, open two days a week."),
    S("museums-culture", "Arts development", (884, "Arts development"), L, False, 110_000, -55_000, COM, REVIEW, 40, 3, description="Small grants and a programme of community arts."),
    S("museums-culture", "Community arts events", (838, "Arts organisations and events"), L, False, 50_000, 0, COP, SETTLED, 80, 4, description="Neighbourhood festivals and exhibitions in libraries and halls."),
    # Community centres
    S("community-centres", "Community centres", (1149, "Community centres"), L, False, 640_000, -120_000, CMM, OPEN, 300, 5, 0.8, description="Nine centres; five are run by management committees with a council grant."),
    S("community-centres", HANDED_OVER_SERVICE, (373, "Conference, hall and meeting room hire"), L, False, 35_000, -35_000, TRN, HANDED, 60, 2, 0.2, description="Bookable halls and rooms for community groups and parties."),
    S("community-centres", "Community and day centres for older people", (296, "Community and day centres"), M, False, 410_000, -60_000, COM, SETTLED, 160, 3, 0.6, description="Lunches, activities and company in four centres."),
    # Environment and street care
    S("environment", "Street cleaning", (582, "Street cleaning"), L, True, 4_200_000, 0, RUN, SETTLED, 200, 3, description="Sweeping and emptying bins on every street, daily in town centres."),
    S("environment", "Litter picking", (580, "Litter removal"), L, True, 260_000, 0, VOL, SETTLED, 350, 5, description="Community litter picks with kit lent by the council."),
    S("environment", "Graffiti removal", (584, "Graffiti removal"), L, False, 130_000, -25_000, RUN, SETTLED, 40, 2, description="Removal from public property within a week; offensive graffiti within a day."),
    S("environment", "Recycling advice", (851, "Recycling advice"), L, False, 55_000, 0, VOL, SETTLED, 60, 3, description="Recycling champions on estates and at events."),
    S("environment", "Public toilets", (579, "Public toilets"), L, False, 190_000, -190_000, RUN, REVIEW, 0, 0, 0.4, description="Seven public toilets; the council plans to close them unless others run them."),
    S("environment", "Snow clearance", (562, "Snow clearance"), L, False, 40_000, 0, RUN, SETTLED, 20, 0, description="Gritting footpaths near schools and shops in icy weather."),
    # Youth services
    S("youth", "Youth clubs", (629, "Youth project volunteering"), M, True, 1_100_000, -300_000, RUN, OPEN, 400, 4, 0.7, description="Evening clubs for 11 to 19 year olds in seven buildings."),
    S("youth", "Advice for young people", (700, "Advice for young people"), M, False, 180_000, 0, COM, SETTLED, 60, 2, description="Drop-in advice on housing, money, sexual health and work."),
    S("youth", "School holiday activities", (18, "School holiday schemes"), M, False, 320_000, 0, COP, SETTLED, 300, 4, description="Activities and a hot meal for children on free school meals."),
    S("youth", "Youth leadership programme", (919, "Youth leadership training"), L, False, 40_000, -40_000, RUN, REVIEW, 30, 1, description="The youth council and young mayor programme."),
    S("youth", "Early help for young people", (837, "Children and young people - preventative services"), H, True, 900_000, 0, RUN, SETTLED, 80, 1, description="Key workers for young people at risk of exclusion or exploitation."),
    # Community transport
    S("community-transport", "Community transport", (272, "Community transport"), M, False, 260_000, -50_000, COM, SETTLED, 300, 3, description="Minibuses for groups and door-to-door trips for people who cannot use buses."),
    S("community-transport", "Dial-a-ride", (901, "Demand responsive transport"), M, False, 310_000, -310_000, RUN, OPEN, 200, 2, description="Bookable trips to shops and appointments; council funding ends next year."),
    S("community-transport", "Taxicard", (275, "Disabled people - taxi card"), L, False, 140_000, 0, RUN, SETTLED, 0, 0, description="Subsidised taxi trips for people with serious mobility problems."),
    S("community-transport", "School crossing patrols", (573, "School crossing patrols"), M, False, 170_000, -85_000, RUN, REVIEW, 100, 1, 0.8, description="Patrols outside 22 primary schools."),
    # Information and advice
    S("information-advice", "Welfare rights advice", (189, "Welfare rights advice"), M, False, 520_000, 0, COM, SETTLED, 200, 3, description="Help to claim benefits and to appeal decisions."),
    S("information-advice", "Debt advice", (651, "Debt counselling"), M, False, 260_000, -30_000, COM, SETTLED, 150, 3, description="Free, confidential debt advice and budgeting help."),
    S("information-advice", "Tenants' support", (91, "Housing tenant support"), M, False, 150_000, 0, VOL, SETTLED, 80, 3, description="Support for tenants and residents' associations on council estates."),
    S("information-advice", "Keeping warm in winter", (269, "Keeping warm in winter"), L, False, 45_000, 0, VOL, SETTLED, 100, 4, description="Warm spaces, energy advice and help with heating grants."),
    # Health and wellbeing
    S("health-wellbeing", "Stop smoking service", (1746, "Stopping smoking"), M, False, 230_000, -60_000, COM, REVIEW, 20, 1, description="Free support and nicotine replacement for people who want to quit."),
    S("health-wellbeing", "Mental health peer support", (1284, "Mental health support"), H, False, 340_000, 0, COP, SETTLED, 160, 3, body="nhs", description="Peer support groups and a crisis café, with the NHS trust."),
    S("health-wellbeing", "NHS Health Checks", (1747, "Health checks"), M, True, 280_000, 0, COM, SETTLED, 0, 0, body="nhs", description="Checks for adults aged 40 to 74, in GP surgeries and pharmacies."),
    S("health-wellbeing", "Alcohol advice and support", (727, "Alcohol advice and support"), H, False, 450_000, 0, COM, SETTLED, 40, 1, description="Advice, treatment referrals and recovery groups."),
    S("health-wellbeing", "Home fire safety visits", (802, "Community fire safety"), M, False, 60_000, 0, VOL, SETTLED, 60, 2, body="fire", description="Smoke alarms fitted and safety advice at home, with the fire service."),
    # Adult social care
    S("adult-social-care", "Meals on wheels", (315, "Mobile meals"), M, False, 380_000, -380_000, RUN, OPEN, 300, 3, description="Hot lunches delivered to people who cannot cook; the council plans to stop running it."),
    S("adult-social-care", "Day centres for older people", (296, "Community and day centres"), H, True, 1_300_000, -200_000, RUN, REVIEW, 200, 2, 0.5, description="Day care for older people with dementia or high needs."),
    S("adult-social-care", "Carers' support groups", (298, "Carers support groups"), M, False, 120_000, 0, COM, SETTLED, 120, 3, description="Groups, breaks and advice for unpaid carers."),
    S("adult-social-care", "Community alarms and telecare", (313, "Community alarms and Telecare"), H, False, 610_000, 0, RUN, SETTLED, 0, 0, description="Pendant alarms answered day and night, and responders who visit."),
    S("adult-social-care", "Respite care for adults", (227, "Respite care for adults"), H, True, 2_200_000, -150_000, COM, SETTLED, 60, 1, description="Short stays and sitting services that give carers a break."),
    S("adult-social-care", "Befriending for older people", (640, "Older people's  activities"), M, False, 70_000, 0, VOL, SETTLED, 400, 5, description="Weekly visits and phone calls for people who are lonely."),
    S("adult-social-care", "Safeguarding adults", (731, "Safeguarding vulnerable adults"), H, True, 1_700_000, 0, RUN, SETTLED, 0, 0, description="Enquiries into abuse or neglect of adults at risk."),
    # Children's services
    S("childrens-services", "Children's centres", (53, "Children's centres"), H, True, 2_600_000, -400_000, RUN, OPEN, 200, 3, 0.7, description="Stay and play, health visiting and parenting courses in eight centres."),
    S("childrens-services", "Fostering", (159, "Fostering"), H, True, 9_800_000, 0, RUN, SETTLED, 0, 0, description="Recruiting, training and supporting the borough's foster carers."),
    S("childrens-services", "Family support groups", (831, "Family support groups"), M, False, 210_000, 0, COP, SETTLED, 150, 3, description="Peer groups for parents, including dads' groups and groups for parents of disabled children."),
    S("childrens-services", "Young carers support", (300, "Young carers support"), H, True, 190_000, 0, COM, SETTLED, 80, 2, description="Clubs, trips and one-to-one support for children who care for a relative."),
    S("childrens-services", "Short breaks for disabled children", (260, "Respite care for children and young people"), H, True, 1_400_000, -120_000, COM, REVIEW, 100, 1, description="Play schemes and short stays for disabled children and young people."),
    S("childrens-services", "Support for care leavers", (918, "Support for young people leaving care"), H, True, 1_200_000, 0, RUN, SETTLED, 60, 1, description="Personal advisers, housing and mentoring for young people leaving care."),
]
# fmt: on

# Organisations ---------------------------------------------------------------------------------

NAME_WORDS = [
    "Acorn",
    "Beacon",
    "Bramble",
    "Cedar",
    "Compass",
    "Dovetail",
    "Elm Tree",
    "Fernleaf",
    "Foxglove",
    "Harbour",
    "Hazel",
    "Heron",
    "Juniper",
    "Kestrel",
    "Lantern",
    "Larkspur",
    "Maple",
    "Meadow",
    "Millstone",
    "Oakwood",
    "Orchard",
    "Pebble",
    "Rowan",
    "Saffron",
    "Sparrow",
    "Springwell",
    "Sunflower",
    "Thistle",
    "Willow",
    "Wren",
    "Yew Tree",
    "Bluebell",
    "Cobble",
    "Damson",
    "Ember",
    "Goldfinch",
    "Hawthorn",
    "Ivy",
    "Kingfisher",
    "Lavender",
    "Marigold",
    "Nettle",
    "Otter",
    "Primrose",
    "Quince",
    "Robin",
    "Skylark",
    "Teasel",
    "Violet",
    "Wisteria",
]

# For each legal form: how its groups are named ({word} and {place} are filled in), and
# the service categories they most often offer to help with.
LEGAL_FORMS = {
    "unincorporated": (
        [
            "{place} Tenants and Residents' Association",
            "{word} Allotment Society",
            "{place} Walking Group",
            "{word} Lunch Club",
        ],
        ["community-centres", "environment", "parks", "adult-social-care"],
    ),
    "cio": (
        ["{word} Community Trust", "{word} Foundation", "{place} Carers' Network"],
        ["community-centres", "adult-social-care", "childrens-services", "youth"],
    ),
    "charitable_company": (
        ["{word} Community Action", "{place} Advice Centre", "{word} Care Partnership"],
        ["information-advice", "adult-social-care", "health-wellbeing", "childrens-services"],
    ),
    "cic": (
        ["{word} Bikeworks CIC", "{word} Play CIC", "{word} Arts CIC"],
        ["leisure", "museums-culture", "youth", "community-transport"],
    ),
    "community_benefit_society": (
        ["{word} Community Pub Society", "{place} Community Energy", "{word} Community Shop"],
        ["community-centres", "environment", "information-advice"],
    ),
    "cooperative": (
        ["{word} Food Co-operative", "{word} Care Co-operative", "{word} Transport Co-op"],
        ["adult-social-care", "community-transport", "health-wellbeing"],
    ),
    "social_enterprise": (
        ["{word} Social Kitchen", "{word} Enterprises", "{word} Green Works"],
        ["environment", "parks", "leisure", "adult-social-care"],
    ),
    "parish_council": (
        ["{place} Town Council", "{place} Parish Council"],
        ["parks", "environment", "community-centres", "libraries"],
    ),
    "faith_group": (
        [
            "St {saint}'s Church Community Project",
            "{place} Mosque Welfare Association",
            "{place} Gurdwara Seva Group",
            "{place} Synagogue Community Care",
            "{place} Methodist Church Outreach",
        ],
        ["adult-social-care", "information-advice", "youth", "community-centres"],
    ),
    "friends_of": (
        ["Friends of {word} Park", "Friends of {place} Library", "Friends of {word} Woods"],
        ["parks", "libraries", "museums-culture", "environment"],
    ),
    "informal": (
        ["{place} Litter Pickers", "{place} Mutual Aid", "{word} Street Neighbours"],
        ["environment", "adult-social-care", "parks"],
    ),
}

SAINTS = ["Mary", "John", "Luke", "Andrew", "Margaret", "Stephen", "Paul", "Barnabas"]

FIRST_NAMES = [
    "Abena",
    "Aisha",
    "Bernadette",
    "Chidi",
    "Dev",
    "Eilidh",
    "Farah",
    "Gareth",
    "Hana",
    "Ifeoma",
    "Jas",
    "Kwame",
    "Lena",
    "Marek",
    "Nia",
    "Oscar",
    "Priya",
    "Rhys",
    "Sade",
    "Tomasz",
    "Uma",
    "Vik",
    "Winston",
    "Yusuf",
    "Zofia",
]
LAST_NAMES = [
    "Adebayo",
    "Brennan",
    "Chaudhry",
    "Da Silva",
    "Evans",
    "Fofana",
    "Greenwood",
    "Hussain",
    "Ivanova",
    "Johnson",
    "Kaur",
    "Lindqvist",
    "Mensah",
    "Nowak",
    "O'Connor",
    "Patel",
    "Quinn",
    "Rahman",
    "Smith",
    "Thompson",
    "Usman",
    "Walsh",
    "Yilmaz",
]

DESCRIPTIONS = [
    "Volunteers who meet every week and know the neighbourhood well.",
    "Run by local residents since 2009, with a small grant and a lot of goodwill.",
    "We bring neighbours together and help people who are on their own.",
    "A small team of paid staff and many volunteers, working across the borough.",
    "We started during the pandemic delivering food and never stopped.",
    "Activities, advice and a friendly face for anyone who walks in.",
]

CONDITIONS = [
    "Only if the council keeps paying the building's running costs.",
    "We would need a named council contact and quarterly meetings.",
    "Weekday daytimes only: most of our volunteers are retired.",
    "We need help with insurance before we can take on more.",
    "If the current staff stay on to train our volunteers for the first year.",
]
