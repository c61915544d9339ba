"""A synthetic dataset in the data contract, for benchmarks and scale tests.

:func:`generate` writes ``documents.csv``, ``entities.csv`` and ``relations.csv`` with ``N``
entities and ``relations_per_entity * N`` relations:

- ids ``e000000``, ``e000001``, … (lower snake, zero-padded to the width of N);
- names made of random words in a shape that suits the type ("Northbridge Child Safety
  Foundation", "Operation Kestrel", "Marta K. Velholm"), about a third of organisations with
  an acronym alias (``NCSF``) and some with a second one, ``|``-separated;
- types drawn from the declared entity types (:func:`graph.schema.default_schema`), weighted so
  people, NGOs and companies are common and coalitions rare;
- a one-sentence description, one to three of ~20 synthetic documents, some ISO dates
  (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, always real dates);
- relations named from ``graph/relation_types.toml``, each joining the entity types its
  declaration allows (an edge is turned round when only the other way fits), leaning on the one
  that suits the target's type (reports are ``published``, operations ``led``); a short
  evidence string, documents and some dates.

Each entity belongs to one of N/200 communities of skewed sizes. The network is grown like
preferential attachment: each entity in turn attaches to an earlier one of its community, old
ones more likely (which gives the heavy-tailed degrees of a real network), and the first of a
community to any earlier entity (so the graph is connected and no entity is isolated); the
remaining relations join endpoints chosen in proportion to that degree, four in five inside the
source's community, so there are communities to find. No self-loops and no repeated
(source, target, relation) triple, so the data loads without a warning. Entity ids are
shuffled so the hubs are not the first ids.
Everything is drawn from one seeded generator: the same arguments give the same bytes.

Usage::

    python -m bench.synthetic OUT_DIR N [--relations-per-entity 5] [--seed 0]

Examples
--------
>>> import tempfile
>>> from graph.load import load_graph
>>> with tempfile.TemporaryDirectory() as folder:
...     counts = generate(folder, 200)
...     G = load_graph(folder)
>>> counts == {"entities": 200, "relations": 1000, "documents": 20}
True
>>> G.number_of_nodes(), G.number_of_edges(), G.graph["warnings"]
(200, 1000, [])
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

from graph.schema import default_schema

N_DOCUMENTS = 20

# --- vocabulary ------------------------------------------------------------------------------

ADJECTIVES = (
    "Global",
    "National",
    "United",
    "Digital",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Open",
    "Safe",
    "Free",
    "Coastal",
    "Regional",
    "Independent",
    "Allied",
    "Civic",
    "Blue",
    "Bright",
    "Clear",
    "Secure",
    "Atlantic",
    "Pacific",
    "Alpine",
    "Metro",
    "First",
    "New",
    "Joint",
    "Frontline",
    "Federal",
    "Common",
    "Rapid",
    "Silver",
    "Green",
    "Iron",
    "Northbridge",
    "Lakeside",
    "Highland",
    "Riverside",
    "Harbour",
    "Summit",
    "Prairie",
    "Delta",
    "Golden",
    "Quiet",
    "Steady",
    "Shared",
    "Public",
    "Open Source",
    "Inter-Agency",
)
TOPICS = (
    "Child Safety",
    "Labour Rights",
    "Migrant",
    "Justice",
    "Human Rights",
    "Freedom",
    "Shelter",
    "Rescue",
    "Trust",
    "Data",
    "Signal",
    "Online Safety",
    "Liberty",
    "Dignity",
    "Border",
    "Youth",
    "Survivor",
    "Anti-Slavery",
    "Cyber",
    "Financial Crime",
    "Supply Chain",
    "Maritime",
    "Hope",
    "Beacon",
    "Witness",
    "Victim Support",
    "Fair Work",
    "Family",
    "Community",
    "Open Data",
    "Transparency",
    "Intelligence",
    "Forensics",
    "Hotline",
    "Outreach",
    "Protection",
    "Integrity",
    "Recovery",
    "Resilience",
    "Awareness",
)
SUFFIXES = {
    "agency": (
        "Agency",
        "Ministry",
        "Department",
        "Bureau",
        "Police",
        "Task Force",
        "Directorate",
        "Office",
        "Commission",
        "Unit",
    ),
    "international_org": (
        "Organization",
        "Council",
        "Office",
        "Forum",
        "Union",
        "Programme",
        "Assembly",
        "Secretariat",
    ),
    "ngo": (
        "Foundation",
        "Alliance",
        "Network",
        "Initiative",
        "Trust",
        "Society",
        "Project",
        "Mission",
        "Centre",
        "Fund",
    ),
    "coalition": ("Coalition", "Alliance", "Partnership", "Consortium", "Network", "Compact"),
    "company": (
        "Labs",
        "Systems",
        "Technologies",
        "Inc",
        "Analytics",
        "Networks",
        "Software",
        "Group",
        "Ltd",
        "AI",
    ),
    "research": (
        "Institute",
        "Lab",
        "University",
        "Research Centre",
        "Observatory",
        "Policy Unit",
        "School",
    ),
    "program": (
        "Programme",
        "Campaign",
        "Award",
        "Fellowship",
        "Academy",
        "Challenge",
        "Curriculum",
    ),
    "event": (
        "Summit",
        "Conference",
        "Hearing",
        "Hackathon",
        "Forum",
        "Awareness Day",
        "Symposium",
    ),
    "report": ("Report", "Review", "Index", "Brief", "Assessment", "Study", "Survey"),
    "law": ("Act", "Bill", "Directive", "Regulation", "Convention", "Protocol"),
    "tool": (
        "App",
        "Hotline",
        "Database",
        "Platform",
        "Tracker",
        "Classifier",
        "Dashboard",
        "Portal",
    ),
}
OPERATION_WORDS = (
    "Synergia",
    "Kestrel",
    "Lighthouse",
    "Pangea",
    "Harbour",
    "Aurora",
    "Cross Country",
    "Blue Heart",
    "Keystone",
    "Northern Star",
    "Tidewater",
    "Flatline",
    "Ironclad",
    "Sentinel",
    "Open Door",
    "Safe Passage",
    "Amber",
    "Greyhound",
    "Night Watch",
    "Granite",
    "Compass",
    "Falcon",
    "Meridian",
    "Cobalt",
    "Riptide",
    "Vanguard",
    "Thunderbird",
    "Wildflower",
)
TECHNOLOGIES = (
    "Facial recognition",
    "Cryptocurrency",
    "Encrypted messaging",
    "Deepfakes",
    "Machine learning",
    "Satellite imagery",
    "Blockchain",
    "Web scraping",
    "Dark web markets",
    "Online advertising",
    "Mobile payments",
    "Social media",
    "Live streaming",
    "Chatbots",
    "Geolocation",
    "Hash matching",
    "Natural language processing",
    "Drones",
)
TECH_QUALIFIERS = (
    "",
    " for triage",
    " in recruitment",
    " for victim identification",
    " in payments",
    " for evidence",
    " at scale",
    " in advertising",
)
FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloe",
    "David",
    "Elena",
    "Farah",
    "George",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marta",
    "Nikhil",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Esther",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kavya",
    "Luca",
    "Maya",
    "Noah",
    "Priya",
    "Rahul",
    "Sofia",
    "Tomas",
    "Valeria",
    "Amara",
    "Chidi",
    "Leila",
    "Mateo",
    "Nadia",
)
SYLLABLES = (
    "val",
    "mor",
    "kel",
    "dan",
    "sor",
    "rin",
    "tha",
    "bel",
    "cor",
    "ven",
    "lis",
    "mar",
    "ost",
    "hal",
    "wyn",
    "dor",
    "fen",
    "gal",
    "bri",
    "tor",
    "nes",
    "pal",
    "qui",
    "sen",
    "ard",
    "mel",
    "zan",
    "lo",
    "ka",
    "ru",
)
PLACE_ENDINGS = ("", "", "", "ia", "land", "holm", "ford", " City", " Province", " Bay")
FINDING_SUBJECTS = (
    "reports to the hotline",
    "identified victims",
    "online recruitment ads",
    "prosecutions",
    "referrals to shelters",
    "flagged transactions",
    "removed listings",
    "forced-labour cases",
    "cross-border cases",
    "survivors supported",
)
FINDING_CHANGES = ("increase in", "decrease in", "of all", "rise in", "drop in")
DESCRIPTION_OPENERS = {
    "agency": "A government body that",
    "international_org": "An intergovernmental body that",
    "ngo": "A non-profit that",
    "coalition": "An alliance of organisations that",
    "company": "A technology firm that",
    "research": "A research group that",
    "operation": "A coordinated action that",
    "tool": "A tool that",
    "law": "A law that",
    "report": "A publication that",
    "event": "An event that",
    "program": "A programme that",
    "person": "A named official who",
    "place": "A region that",
    "technology": "A kind of technology that",
    "finding": "A figure that",
}
DESCRIPTION_VERBS = (
    "tracks",
    "counters",
    "reports on",
    "funds work against",
    "studies",
    "coordinates action on",
    "raises awareness of",
    "detects",
    "supports survivors of",
    "investigates",
)
DESCRIPTION_OBJECTS = (
    "labour exploitation",
    "online child exploitation",
    "forced labour in supply chains",
    "trafficking for sexual exploitation",
    "migrant smuggling",
    "recruitment fraud",
    "illicit financial flows",
    "online advertising of victims",
    "debt bondage",
    "organ trafficking",
)
DESCRIPTION_PLACES = (
    "",
    " across the region",
    " in coastal cities",
    " along the border",
    " worldwide",
    " in the capital",
    " in rural areas",
    " across Europe",
    " in Southeast Asia",
    " in West Africa",
    " in the Americas",
)
EVIDENCE_SUBJECTS = (
    "The report",
    "A press release",
    "The annual review",
    "An interview",
    "The court filing",
    "A news article",
    "The website",
    "A joint statement",
)
EVIDENCE_VERBS = ("says it", "notes that it", "confirms it", "states that it", "records that it")
EVIDENCE_OBJECTS = (
    "in the joint investigation",
    "during the pilot",
    "from the start",
    "with partner agencies",
    "over several years",
    "as lead partner",
    "in the last campaign",
    "with public funding",
    "",
)
PUBLISHERS = (
    "Global Justice Review",
    "The Harbour Times",
    "UN Office on Drugs and Crime",
    "Open Data Watch",
    "Northbridge Institute",
    "Civic Tech Journal",
    "Ministry of Interior",
    "Survivor Voices",
)
DOCUMENT_KINDS = ("report", "article", "press_release", "court_filing", "website", "dataset")

TYPE_WEIGHTS = {
    "person": 14,
    "ngo": 10,
    "company": 10,
    "agency": 8,
    "report": 8,
    "tool": 7,
    "program": 6,
    "place": 5,
    "law": 5,
    "operation": 5,
    "research": 5,
    "event": 4,
    "finding": 4,
    "international_org": 3,
    "coalition": 3,
    "technology": 3,
}
PREFERRED_RELATION = {
    "report": "published",
    "finding": "published",
    "tool": "runs",
    "program": "runs",
    "operation": "led",
    "technology": "created",
    "event": "led",
}
STOP_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "to", "a", "an", "&", "at"})


# --- generation ------------------------------------------------------------------------------


def generate(
    folder: str | Path, n_entities: int, *, relations_per_entity: int = 5, seed: int = 0
) -> dict[str, int]:
    """Write a synthetic dataset of ``n_entities`` entities into ``folder``; return the counts.

    ``relations_per_entity * n_entities`` relations are written (at least one per entity, so
    none is isolated). The same arguments always write the same files.
    """
    if n_entities < 10:
        raise ValueError(f"n_entities must be 10 or more, not {n_entities}")
    if relations_per_entity < 1:
        raise ValueError(f"relations_per_entity must be 1 or more, not {relations_per_entity}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    schema = default_schema()
    type_ids = list(schema.entity_types)
    relation_ids = list(schema.relation_types) or ["related_to"]

    documents = _documents(rng)
    _write(
        folder / "documents.csv",
        ("id", "title", "publisher", "author", "date", "url", "kind"),
        documents,
    )
    doc_lists = _document_lists(rng, [d[0] for d in documents])
    dates = _date_pool(rng)

    n = n_entities
    weights = np.array([TYPE_WEIGHTS.get(t, 3) for t in type_ids], dtype=float)
    types = rng.choice(len(type_ids), size=n, p=weights / weights.sum())
    ids = _ids(n)
    _write(
        folder / "entities.csv",
        ("id", "name", "type", "aliases", "description", "documents", "date"),
        _entity_rows(rng, ids, types, type_ids, schema, doc_lists, dates),
    )

    source, target = _edges(rng, n, relations_per_entity * n)
    fit = _Fitting(schema, type_ids, relation_ids)
    source, target, relation = fit(rng, source, target, types)
    source, target, relation = _unique_triples(rng, source, target, relation, n, types, fit)
    _write(
        folder / "relations.csv",
        ("source", "target", "relation", "evidence", "documents", "date"),
        _relation_rows(rng, ids, source, target, relation, relation_ids, schema, doc_lists, dates),
    )
    return {"entities": n, "relations": len(source), "documents": len(documents)}


def _write(path: Path, header: tuple[str, ...], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _ids(n: int) -> list[str]:
    width = max(6, len(str(n - 1)))
    return [f"e{i:0{width}d}" for i in range(n)]


def _pick(rng: np.random.Generator, words, size: int) -> list:
    """``size`` items drawn uniformly from ``words`` (as a Python list, for fast zipping)."""
    return [words[i] for i in rng.integers(len(words), size=size).tolist()]


def _documents(rng: np.random.Generator) -> list[tuple[str, ...]]:
    rows = []
    for i in range(1, N_DOCUMENTS + 1):
        year = int(rng.integers(2012, 2026))
        kind = DOCUMENT_KINDS[int(rng.integers(len(DOCUMENT_KINDS)))]
        title = (
            f"{ADJECTIVES[int(rng.integers(len(ADJECTIVES)))]} "
            f"{TOPICS[int(rng.integers(len(TOPICS)))]} {kind.replace('_', ' ').title()} "
            f"{year}"
        )
        author = (
            (f"{FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]} {_surname(rng)}")
            if rng.random() < 0.6
            else ""
        )
        date = f"{year}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        rows.append(
            (
                f"doc_{i:02d}",
                title,
                PUBLISHERS[int(rng.integers(len(PUBLISHERS)))],
                author,
                date,
                f"https://example.org/docs/{i:02d}",
                kind,
            )
        )
    return rows


def _surname(rng: np.random.Generator) -> str:
    parts = rng.integers(len(SYLLABLES), size=2)
    return (SYLLABLES[parts[0]] + SYLLABLES[parts[1]]).capitalize()


def _document_lists(rng: np.random.Generator, doc_ids: list[str]) -> list[str]:
    """A pool of ``|``-joined document lists, skewed towards a few much-cited documents."""
    weights = 1.0 / np.arange(1, len(doc_ids) + 1)
    weights /= weights.sum()
    pool = []
    for size in (1,) * 300 + (2,) * 150 + (3,) * 50:
        chosen = sorted(rng.choice(len(doc_ids), size=size, replace=False, p=weights).tolist())
        pool.append("|".join(doc_ids[i] for i in chosen))
    return pool


def _date_pool(rng: np.random.Generator) -> list[str]:
    """Real ISO dates of the three precisions (days 1-28, so every one exists)."""
    years = rng.integers(1995, 2026, size=3000).tolist()
    months = rng.integers(1, 13, size=3000).tolist()
    days = rng.integers(1, 29, size=3000).tolist()
    pool = []
    for i, (y, m, d) in enumerate(zip(years, months, days)):
        form = i % 4
        pool.append(
            f"{y}" if form == 0 else f"{y}-{m:02d}" if form == 1 else f"{y}-{m:02d}-{d:02d}"
        )
    return pool


def _optional(rng: np.random.Generator, pool: list[str], size: int, share: float) -> list[str]:
    """``size`` values from ``pool``, each present with probability ``share`` (else empty)."""
    present = (rng.random(size) < share).tolist()
    picked = rng.integers(len(pool), size=size).tolist()
    return [pool[i] if keep else "" for keep, i in zip(present, picked)]


def _entity_rows(rng, ids, types, type_ids, schema, doc_lists, dates):
    n = len(ids)
    names: list[str] = [""] * n
    aliases: list[str] = [""] * n
    for t, type_id in enumerate(type_ids):
        members = np.flatnonzero(types == t).tolist()
        if not members:
            continue
        label = schema.entity_types[type_id].label
        made = _names(rng, type_id, label, len(members))
        made_aliases = _aliases(rng, type_id, made)
        for i, name, alias in zip(members, made, made_aliases):
            names[i], aliases[i] = name, alias
    descriptions = _descriptions(rng, types, type_ids)
    documents = _optional(rng, doc_lists, n, 0.9)
    entity_dates = _optional(rng, dates, n, 0.3)
    type_names = [type_ids[t] for t in types.tolist()]
    return zip(ids, names, type_names, aliases, descriptions, documents, entity_dates)


def _place_names(rng: np.random.Generator, size: int) -> list[str]:
    first = _pick(rng, SYLLABLES, size)
    second = _pick(rng, SYLLABLES, size)
    ending = _pick(rng, PLACE_ENDINGS, size)
    return [(a + b).capitalize() + e for a, b, e in zip(first, second, ending)]


def _names(rng: np.random.Generator, type_id: str, label: str, size: int) -> list[str]:
    adjectives = _pick(rng, ADJECTIVES, size)
    topics = _pick(rng, TOPICS, size)
    places = _place_names(rng, size)
    shapes = rng.integers(3, size=size).tolist()
    years = rng.integers(1998, 2026, size=size).tolist()
    if type_id == "person":
        firsts = _pick(rng, FIRST_NAMES, size)
        initials = _pick(rng, "ABCDEFGHJKLMNPRSTVW", size)
        surnames = [p.split()[0] for p in places]
        return [
            f"{f} {i}. {s}" if shape == 0 else f"{f} {s}"
            for f, i, s, shape in zip(firsts, initials, surnames, shapes)
        ]
    if type_id == "place":
        return places
    if type_id == "operation":
        words = _pick(rng, OPERATION_WORDS, size)
        return [
            f"Operation {w}" if shape else f"Operation {w} {y}"
            for w, y, shape in zip(words, years, shapes)
        ]
    if type_id == "technology":
        techs = _pick(rng, TECHNOLOGIES, size)
        qualifiers = _pick(rng, TECH_QUALIFIERS, size)
        return [t + q for t, q in zip(techs, qualifiers)]
    if type_id == "finding":
        shares = rng.integers(3, 95, size=size).tolist()
        subjects = _pick(rng, FINDING_SUBJECTS, size)
        changes = _pick(rng, FINDING_CHANGES, size)
        return [
            f"{s}% {c} {subj} in {p} ({y})"
            for s, c, subj, p, y in zip(shares, changes, subjects, places, years)
        ]
    suffixes = _pick(rng, SUFFIXES.get(type_id, (label,)), size)
    if type_id in ("report", "law", "event"):
        return [
            f"{t} {s} {y}" if shape else f"{p} {t} {s} {y}"
            for t, s, y, p, shape in zip(topics, suffixes, years, places, shapes)
        ]
    if type_id == "tool":
        return [
            f"{a}{t.split()[0].replace('-', '')} {s}" if shape else f"{t} {s}"
            for a, t, s, shape in zip(adjectives, topics, suffixes, shapes)
        ]
    return [
        f"{a} {t} {s}" if shape == 0 else f"{p} {t} {s}" if shape == 1 else f"{p} {a} {t} {s}"
        for a, t, s, p, shape in zip(adjectives, topics, suffixes, places, shapes)
    ]


ACRONYM_TYPES = frozenset(
    {
        "agency",
        "international_org",
        "ngo",
        "coalition",
        "company",
        "research",
        "program",
        "law",
        "tool",
        "event",
    }
)


def _aliases(rng: np.random.Generator, type_id: str, names: list[str]) -> list[str]:
    """An acronym for about a third of organisations, sometimes also a short form."""
    if type_id not in ACRONYM_TYPES:
        return [""] * len(names)
    wanted = (rng.random(len(names)) < 0.35).tolist()
    short = (rng.random(len(names)) < 0.3).tolist()
    out = []
    for name, want, with_short in zip(names, wanted, short):
        if not want:
            out.append("")
            continue
        words = [w for w in name.replace("-", " ").split() if w.lower() not in STOP_WORDS]
        acronym = "".join(w[0] for w in words if w[0].isalpha()).upper()
        if len(acronym) < 2:
            out.append("")
            continue
        aliases = [acronym]
        if with_short and len(words) > 2:
            aliases.append(" ".join(words[:-1]))
        out.append("|".join(aliases))
    return out


def _descriptions(rng: np.random.Generator, types: np.ndarray, type_ids: list[str]) -> list[str]:
    n = len(types)
    verbs = _pick(rng, DESCRIPTION_VERBS, n)
    objects = _pick(rng, DESCRIPTION_OBJECTS, n)
    places = _pick(rng, DESCRIPTION_PLACES, n)
    openers = [DESCRIPTION_OPENERS.get(type_ids[t], "An entity that") for t in types.tolist()]
    return [f"{o} {v} {ob}{p}." for o, v, ob, p in zip(openers, verbs, objects, places)]


def _edges(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """``m`` edges over ``n`` nodes: a random attachment tree, then degree-biased extras that
    mostly stay inside a community."""
    m = max(m, n - 1)
    group = _communities(rng, n)
    # The tree: within its community, the member of rank r >= 1 (in id order) attaches to the
    # one of rank floor(r * u**2) < r, which favours old members with probability ~ rank**-0.5,
    # the age profile of degree under preferential attachment; the first member of a community
    # attaches the same way to any earlier entity, so the whole graph is connected.
    members = np.argsort(group, kind="stable")
    sizes = np.bincount(group)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.empty(n, dtype=np.int64)
    rank[members] = np.arange(n) - np.repeat(offsets, sizes)
    late = np.arange(1, n)
    r = rank[late]
    u2 = rng.random(n - 1) ** 2
    early = np.where(
        r > 0,
        members[offsets[group[late]] + np.floor(r * u2).astype(np.int64)],
        np.floor(late * u2).astype(np.int64),
    )
    # The rest: targets in proportion to tree degree (an endpoint of a random tree edge), from
    # the source's own community with probability INSIDE; sources half uniform (every entity is
    # active) and half degree-biased.
    extra = m - (n - 1)
    ends = np.concatenate([late, early])
    src = np.where(
        rng.random(extra) < 0.5,
        rng.integers(n, size=extra),
        ends[rng.integers(len(ends), size=extra)],
    )
    tgt = ends[rng.integers(len(ends), size=extra)]
    by_group = ends[np.argsort(group[ends], kind="stable")]
    sizes = np.bincount(group[ends], minlength=int(group.max()) + 1)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    inside = rng.random(extra) < INSIDE
    g = group[src[inside]]
    tgt[inside] = by_group[offsets[g] + np.floor(rng.random(len(g)) * sizes[g]).astype(np.int64)]
    loops = src == tgt
    while loops.any():
        tgt[loops] = ends[rng.integers(len(ends), size=int(loops.sum()))]
        loops = src == tgt
    source = np.concatenate([late, src])
    target = np.concatenate([early, tgt])
    flip = rng.random(m) < 0.5  # either way round
    source, target = np.where(flip, target, source), np.where(flip, source, target)
    # Shuffle which id each node gets, and the order the relations are written in.
    relabel = rng.permutation(n)
    order = rng.permutation(m)
    return relabel[source[order]], relabel[target[order]]


INSIDE = 0.8  # share of the extra relations that stay inside a community
COMMUNITY_SIZE = 200  # entities per community on average (sizes are skewed)


def _communities(rng: np.random.Generator, n: int) -> np.ndarray:
    """A community per entity, of sizes falling off like a power law (a few big ones)."""
    k = max(1, n // COMMUNITY_SIZE)
    weights = np.arange(1, k + 1, dtype=float) ** -0.7
    return rng.choice(k, size=n, p=weights / weights.sum())


class _Fitting:
    """Relations that join the types their declaration allows (``source`` / ``target`` in
    ``graph/relation_types.toml``): an edge whose pair of types no relation joins is turned
    round (every pair of built-in types is joined one way or the other); then, more often than
    not, the relation that suits the target's type, else any relation the pair allows."""

    def __init__(self, schema, type_ids: list[str], relation_ids: list[str]) -> None:
        k = len(type_ids)
        self.k, self.relations = k, len(relation_ids)
        self.allowed = [
            [
                np.array(
                    [
                        i
                        for i, r in enumerate(relation_ids)
                        if schema.relation(r).allows(type_ids[a], type_ids[b])
                    ],
                    dtype=np.int64,
                )
                for b in range(k)
            ]
            for a in range(k)
        ]
        self.preferred = [
            relation_ids.index(PREFERRED_RELATION[t])
            if PREFERRED_RELATION.get(t) in relation_ids
            else -1
            for t in type_ids
        ]

    def __call__(self, rng, source, target, types):
        allowed, k = self.allowed, self.k
        st, tt = types[source], types[target]
        forward = np.array([[len(allowed[a][b]) > 0 for b in range(k)] for a in range(k)])
        flip = ~forward[st, tt]
        source, target = np.where(flip, target, source), np.where(flip, source, target)
        pair = types[source] * k + types[target]
        relation = np.zeros(len(source), dtype=np.int64)
        fitting = rng.random(len(source)) < 0.55
        pick = rng.random(len(source))
        order = np.argsort(pair, kind="stable")
        bounds = np.searchsorted(pair[order], np.arange(k * k + 1))
        for p in range(k * k):
            edges = order[bounds[p] : bounds[p + 1]]
            if not len(edges):
                continue
            choices = allowed[p // k][p % k]
            chosen = choices[np.floor(pick[edges] * len(choices)).astype(np.int64)]
            preferred = self.preferred[p % k]
            if preferred in choices:
                chosen = np.where(fitting[edges], preferred, chosen)
            relation[edges] = chosen
        return source, target, relation


def _unique_triples(rng, source, target, relation, n, types, fit):
    """Redraw the target of any relation repeating an earlier (source, target, relation)."""
    r = fit.relations
    for _ in range(100):
        key = (source * n + target) * r + relation
        _, first = np.unique(key, return_index=True)
        repeated = np.ones(len(key), dtype=bool)
        repeated[first] = False
        count = int(repeated.sum())
        if not count:
            return source, target, relation
        new_target = rng.integers(n, size=count)
        clash = new_target == source[repeated]
        new_target[clash] = (new_target[clash] + 1) % n
        source, target, relation = source.copy(), target.copy(), relation.copy()
        s, t, rel = fit(rng, source[repeated], new_target, types)
        source[repeated], target[repeated], relation[repeated] = s, t, rel
    raise ValueError("too many relations for this few entities to keep them distinct")


def _relation_rows(rng, ids, source, target, relation, relation_ids, schema, doc_lists, dates):
    m = len(source)
    phrases = [schema.phrase(r) for r in relation_ids]
    evidence_pool = [
        f"{s} {v} {p} {o}".rstrip()
        for s in EVIDENCE_SUBJECTS
        for v in EVIDENCE_VERBS
        for p in ("{}",)
        for o in EVIDENCE_OBJECTS
    ]
    has_evidence = (rng.random(m) < 0.75).tolist()
    evidence_pick = rng.integers(len(evidence_pool), size=m).tolist()
    rel = relation.tolist()
    evidence = [
        evidence_pool[e].format(phrases[r]) if keep else ""
        for keep, e, r in zip(has_evidence, evidence_pick, rel)
    ]
    documents = _optional(rng, doc_lists, m, 0.8)
    relation_dates = _optional(rng, dates, m, 0.4)
    names = [relation_ids[r] for r in rel]
    return zip(
        [ids[i] for i in source.tolist()],
        [ids[i] for i in target.tolist()],
        names,
        evidence,
        documents,
        relation_dates,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description="Write a synthetic dataset in the data contract.",
    )
    parser.add_argument(
        "out_dir",
        help="folder to write documents.csv, entities.csv and "
        "relations.csv into (created if missing)",
    )
    parser.add_argument("n", type=int, help="number of entities")
    parser.add_argument("--relations-per-entity", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = generate(
        args.out_dir, args.n, relations_per_entity=args.relations_per_entity, seed=args.seed
    )
    print(
        f"wrote {counts['entities']:,} entities, {counts['relations']:,} relations and "
        f"{counts['documents']} documents to {args.out_dir} in "
        f"{time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
