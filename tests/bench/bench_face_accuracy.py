"""Face verification accuracy on public labelled faces, East Asian faces reported apart.

What the kiosk compares is an ID card chip photo with a camera picture of the customer. Here:

- **chip side**: a face crop of one photograph of the person, made like an ID chip photo
  (``kiosk.identity.chip.chip_photo``: 102x126, colour, JPEG quality 50);
- **camera side**: another photograph of the same person (genuine pair) or of someone else (impostor).

Both go through the product's own pipeline (``kiosk.identity.models.FaceModels``: dlib detection and 68
landmarks, then the embedder), once per embedder named with ``--embedders``.

Source (never committed; cached outside the repository):
- LFW, "Labeled Faces in the Wild" (Huang et al., UMass Amherst), deep-funneled images
  (``images_deepfunneled/``), from the public GitHub repository umass-vis-lfw/umass-vis-lfw.github.io
  at commit ``LFW_COMMIT`` below. Give ``--lfw`` a clone (or bare git directory) of it, or a folder that
  holds ``images_deepfunneled/``; the images used are copied to ``--cache``.
- Identities: the East Asian people of LFW with at least two photographs (``EAST_ASIAN``: public
  figures of China, Hong Kong, Taiwan, Japan, Korea and the Chinese diaspora, by their public
  biographies), and ``--others`` people drawn with a fixed seed from everyone else with two or more.
  At most ``--max-images`` photographs each; the first ``--chips`` of them also give a chip photo.

Reports, per embedder: genuine and impostor pair counts; FAR and FRR at the configured threshold overall
and for East Asian impostor pairs alone; the threshold at which no impostor is accepted (overall and East
Asian) and the FRR there; the EER; FRR by group; and the time per decision (chip + camera picture through
the pipeline, then the distance).

    .venv/bin/python tests/bench/bench_face_accuracy.py --lfw PATH [--embedders mobilefacenet,dlib]
        [--threshold-mobilefacenet T] [--json FILE] [--write-regression tests/identity/data/face_regression.npz]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.identity.chip import chip_photo  # noqa: E402
from kiosk.identity.measures import brightness, face_grey, sharpness  # noqa: E402
from kiosk.identity.models import FaceModels, PhotoFaces  # noqa: E402
from kiosk.identity.quality import FaceObservation, quality_problem  # noqa: E402
from kiosk.identity.settings import DEFAULT_REVIEW_THRESHOLDS, DEFAULT_THRESHOLDS, QualitySettings  # noqa: E402

LFW_REPO = "umass-vis-lfw/umass-vis-lfw.github.io"
LFW_COMMIT = "2a620cd8cceb10430f8c7012fe9fa5f0837759e9"
LFW_DIR = "images_deepfunneled"
EAST_ASIAN = (
    "Ai_Sugiyama", "Chang_Dae-whan", "Chen_Liang_Yu", "Chen_Shui-bian", "Choi_Sung-hong", "Chung_Mong-hun",
    "Chung_Mong-joon", "Gao_Qiang", "Goh_Kun", "Hee-Won_Han", "Hichiro_Naemura", "Hideki_Matsui", "Hu_Jintao",
    "Jackie_Chan", "Jeong_Se-hyun", "Jia_Qinglin", "Jiang_Zemin", "Jong_Thae_Hwa", "Jong_Wook_Lee",
    "Junichiro_Koizumi", "Ken_Watanabe", "Kim_Dae-jung", "Kim_Jin-sun", "Kim_Jong-Il", "Kim_Ryong-sung",
    "Kim_Yong-il", "Kosuke_Kitajima", "Kwon_Yang-sook", "Lee_Hoi-chang", "Lee_Soo-hyuck", "Lee_Tae-sik",
    "Li_Peng", "Li_Zhaoxing", "Lim_Dong-won", "Liu_Mingkang", "Lucy_Liu", "Michelle_Kwan", "Michelle_Yeoh",
    "Naoto_Kan", "Roh_Moo-hyun", "Tang_Jiaxuan", "Tung_Chee-hwa", "Vicki_Zhao_Wei", "Wang_Yi", "Wang_Yingfan",
    "Wen_Jiabao", "Wu_Yi", "Yao_Ming", "Yoko_Ono", "Yoriko_Kawaguchi", "Yu_Shyi-kun", "Zhang_Wenkang",
    "Zhang_Ziyi", "Zhu_Rongji",
)
# Not drawn as "others": East or South-East Asian people the list above leaves out on purpose (too few
# photographs, or not East Asian but easily mistaken for it by name).
NOT_OTHERS = ("Lee_Jun", "Megawati_Sukarnoputri", "Thaksin_Shinawatra", "Hun_Sen", "Gloria_Macapagal_Arroyo")
SEED = 2026


@dataclass
class Person:
    name: str
    east_asian: bool
    photos: list[Path] = field(default_factory=list)


@dataclass
class Sample:
    person: str
    east_asian: bool
    source: int  # the index of the photograph it comes from
    gated: bool = True  # a camera photo the kiosk's quality gates would take (frontal, sharp, lit)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# -- the images ---------------------------------------------------------------------------------
def lfw_listing(lfw: Path) -> dict[str, list[str]]:
    """Person -> photograph file names, from a folder or a git directory."""
    folder = lfw / LFW_DIR
    if folder.is_dir():
        return {p.name: sorted(f.name for f in p.glob("*.jpg")) for p in sorted(folder.iterdir()) if p.is_dir()}
    names = subprocess.run(["git", f"--git-dir={git_dir(lfw)}", "ls-tree", "-r", "--name-only", LFW_COMMIT, LFW_DIR],
                           check=True, capture_output=True, text=True).stdout.split()
    listing: dict[str, list[str]] = {}
    for name in names:
        parts = name.split("/")
        if len(parts) == 3 and parts[2].endswith(".jpg"):
            listing.setdefault(parts[1], []).append(parts[2])
    return {k: sorted(v) for k, v in sorted(listing.items())}


def git_dir(lfw: Path) -> Path:
    return lfw / ".git" if (lfw / ".git").exists() else lfw


def cached_photo(lfw: Path, cache: Path, person: str, name: str) -> Path:
    target = cache / "lfw" / person / name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    source = lfw / LFW_DIR / person / name
    if source.exists():
        data = source.read_bytes()
    else:
        data = subprocess.run(["git", f"--git-dir={git_dir(lfw)}", "show", f"{LFW_COMMIT}:{LFW_DIR}/{person}/{name}"],
                              check=True, capture_output=True).stdout
    target.write_bytes(data)
    return target


def lfw_errata(lfw: Path) -> set[str]:
    """The photographs LFW's own errata (the "Errata" section of its index.html at the same commit) say
    are of someone else or duplicates of another person's, and both photographs of every matched pair
    it lists as wrong: they are left out, so a mislabelled photograph is not counted against a model."""
    page = lfw / "index.html"
    if page.exists():
        html = page.read_text(errors="replace")
    else:
        html = subprocess.run(["git", f"--git-dir={git_dir(lfw)}", "show", f"{LFW_COMMIT}:index.html"],
                              check=True, capture_output=True, text=True).stdout
    text = " ".join(re.sub(r"<[^>]*>", " ", html).split())
    text = re.sub(r" _(\d{4})", r"_\1", text)  # the page breaks some names before their number
    wrong = {m + ".jpg" for m in re.findall(r"([A-Za-z'_-]+_\d{4}) is incorrect", text)}
    errors = text.split("The current known errors in View 2 are:")[-1].split("More detail")[0]
    for name, number in re.findall(r"([A-Z][A-Za-z' -]+?), (\d+)", errors):
        wrong.add(f"{name.strip().replace(' ', '_')}_{int(number):04d}.jpg")
    return wrong


def choose_people(listing: dict[str, list[str]], others: int, max_images: int) -> list[Person]:
    east = [Person(n, True, []) for n in EAST_ASIAN if len(listing.get(n, [])) >= 2]
    pool = sorted(n for n, files in listing.items()
                  if len(files) >= 2 and n not in EAST_ASIAN and n not in NOT_OTHERS)
    rest = [Person(n, False, []) for n in random.Random(SEED).sample(pool, min(others, len(pool)))]
    people = east + sorted(rest, key=lambda p: p.name)
    for person in people:
        person.photos = [Path(f) for f in listing[person.name][:max_images]]
    return people


# -- the pipeline ------------------------------------------------------------------------------------
def centre_face(models: FaceModels, image: np.ndarray) -> tuple[float, float, float, float] | None:
    """The face nearest the photograph's centre (LFW's labelled person is the centred face)."""
    boxes = models.face_boxes(image)
    if not boxes:
        return None
    h, w = image.shape[:2]
    return min(boxes, key=lambda b: (b[0] + b[2] / 2 - w / 2) ** 2 + (b[1] + b[3] / 2 - h / 2) ** 2)


def embed_all(models: dict[str, FaceModels], people: list[Person], lfw: Path, cache: Path, chips: int
              ) -> tuple[list[Sample], list[Sample], int]:
    chip_samples, photo_samples, unusable = [], [], 0
    for number, person in enumerate(people, 1):
        if number % 20 == 0:
            print(f"  {number}/{len(people)} people", file=sys.stderr)
        for index, name in enumerate(person.photos):
            path = cached_photo(lfw, cache, person.name, name.name)
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            first = next(iter(models.values()))
            box = centre_face(first, image)
            if box is None:
                unusable += 1
                continue
            data = path.read_bytes()
            photo = Sample(person.name, person.east_asian, index)
            chip = Sample(person.name, person.east_asian, index) if index < chips else None
            chip_bytes = chip_photo(image, box, grey=False) if chip else b""
            for embedder, model in models.items():
                started = time.perf_counter()
                found = model.photo(data, prefer_centre=True)
                photo_seconds = time.perf_counter() - started
                photo.gated = photo.gated and passes_gates(image, found)
                if found.encoding is not None:
                    photo.vectors[embedder], photo.seconds[embedder] = found.encoding, photo_seconds
                if chip is not None:
                    started = time.perf_counter()
                    found = model.photo(chip_bytes)
                    if found.encoding is not None:
                        chip.vectors[embedder], chip.seconds[embedder] = found.encoding, time.perf_counter() - started
            if len(photo.vectors) == len(models):
                photo_samples.append(photo)
            else:
                unusable += 1
            if chip is not None and len(chip.vectors) == len(models):
                chip_samples.append(chip)
    return chip_samples, photo_samples, unusable


def passes_gates(image: np.ndarray, found: PhotoFaces) -> bool:
    """The kiosk's quality gates that apply to a still photograph: brightness, sharpness and head pose
    (the size and edge gates are about where a customer stands, and LFW photographs often show other
    people behind the subject)."""
    if found.box is None or found.landmarks is None:
        return False
    grey = face_grey(image, found.box)
    seen = FaceObservation((found.box,), found.box, found.landmarks, sharpness(grey), brightness(grey))
    gates = QualitySettings()
    problem = quality_problem(seen, (10_000, 10_000), dataclasses.replace(gates, min_face=0.0, edge_margin=0.0))
    return problem is None


# -- the measures -------------------------------------------------------------------------------------
def distance_matrix(chips: list[Sample], photos: list[Sample], embedder: str) -> np.ndarray:
    c = np.stack([s.vectors[embedder] for s in chips])
    p = np.stack([s.vectors[embedder] for s in photos])
    return np.sqrt(np.maximum(((c[:, None, :] - p[None, :, :]) ** 2).sum(-1), 0))


@dataclass
class Pairs:
    """Which chip-photo pairs are genuine (same person, another photograph) or impostors, and which
    of them count (``counted``: all, or only those whose camera photo passes the kiosk's gates)."""

    genuine: np.ndarray
    impostor: np.ndarray
    east_asian: np.ndarray  # both sides East Asian
    chip_east_asian: np.ndarray

    @classmethod
    def of(cls, chips: list[Sample], photos: list[Sample], gated_only: bool) -> Pairs:
        person_c = np.array([s.person for s in chips])
        person_p = np.array([s.person for s in photos])
        same = person_c[:, None] == person_p[None, :]
        same_source = same & (np.array([s.source for s in chips])[:, None] == np.array([s.source for s in photos])[None, :])
        east_c = np.array([s.east_asian for s in chips])
        east_p = np.array([s.east_asian for s in photos])
        counted = np.array([s.gated or not gated_only for s in photos])[None, :]
        return cls(same & ~same_source & counted, ~same & counted, east_c[:, None] & east_p[None, :],
                   np.broadcast_to(east_c[:, None], same.shape))


def second_look(d: np.ndarray, chips: list[Sample], photos: list[Sample], pairs: Pairs, threshold: float,
                review: float) -> dict[str, list[int]]:
    """The kiosk's decision with its uncertain band: a first distance in the band gets a second look,
    here another photograph of the same person in front of the camera (the next one that is neither this
    photograph nor the chip's source); the decision is on the mean of both. Counts of [accepted, sent
    to staff, rejected] for genuine, impostor and East Asian impostor pairs."""
    by_person: dict[str, list[int]] = {}
    for j, photo in enumerate(photos):
        by_person.setdefault(photo.person, []).append(j)
    out = {"genuine": [0, 0, 0], "impostor": [0, 0, 0], "impostor_east_asian": [0, 0, 0]}
    for a, b in zip(*np.nonzero(pairs.genuine | pairs.impostor), strict=True):
        first = d[a, b]
        if first <= threshold:
            verdict = 0
        elif first > review:
            verdict = 2
        else:
            chip = chips[a]
            others = [j for j in by_person[photos[b].person]
                      if j != b and not (photos[j].person == chip.person and photos[j].source == chip.source)]
            mean = (first + d[a, others[0]]) / 2 if others else review
            verdict = 0 if mean <= threshold else 1 if mean <= review else 2
        if pairs.genuine[a, b]:
            out["genuine"][verdict] += 1
        else:
            out["impostor"][verdict] += 1
            if pairs.east_asian[a, b]:
                out["impostor_east_asian"][verdict] += 1
    return out


def rates(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> tuple[float, float]:
    return float((impostor <= threshold).mean()), float((genuine > threshold).mean())


def eer(genuine: np.ndarray, impostor: np.ndarray) -> tuple[float, float]:
    candidates = np.unique(np.concatenate([genuine, impostor]))
    best = min(candidates, key=lambda t: abs((impostor <= t).mean() - (genuine > t).mean()))
    far, frr = rates(genuine, impostor, float(best))
    return (far + frr) / 2, float(best)


def report(embedder: str, d: np.ndarray, chips: list[Sample], photos: list[Sample], pairs: Pairs,
           threshold: float, review: float, seconds: list[float]) -> dict[str, object]:
    g, i, ie = d[pairs.genuine], d[pairs.impostor], d[pairs.impostor & pairs.east_asian]
    g_east, g_others = d[pairs.genuine & pairs.chip_east_asian], d[pairs.genuine & ~pairs.chip_east_asian]
    far, frr = rates(g, i, threshold)
    zero = float(np.nextafter(i.min(), -np.inf))
    zero_ea = float(np.nextafter(ie.min(), -np.inf))
    rate, at = eer(g, i)
    rows, cols = np.nonzero(pairs.genuine)
    hardest = [(chips[rows[k]].person, chips[rows[k]].source, photos[cols[k]].source, round(float(d[rows[k], cols[k]]), 3))
               for k in np.argsort(-d[rows, cols])[:12]]
    rows, cols = np.nonzero(pairs.impostor)
    closest = [(chips[rows[k]].person, photos[cols[k]].person, round(float(d[rows[k], cols[k]]), 3))
               for k in np.argsort(d[rows, cols])[:12]]
    return {
        "embedder": embedder, "threshold": threshold, "review_threshold": review,
        "genuine_pairs": int(g.size), "genuine_pairs_east_asian": int(g_east.size),
        "impostor_pairs": int(i.size), "impostor_pairs_east_asian": int(ie.size),
        "far": far, "far_accepted": int((i <= threshold).sum()),
        "far_east_asian": rates(g, ie, threshold)[0], "far_east_asian_accepted": int((ie <= threshold).sum()),
        "frr": frr, "frr_rejected": int((g > threshold).sum()),
        "frr_east_asian": rates(g_east, i, threshold)[1], "frr_others": rates(g_others, i, threshold)[1],
        "threshold_far0": zero, "frr_at_far0": rates(g, i, zero)[1],
        "threshold_far0_east_asian": zero_ea, "frr_at_far0_east_asian": rates(g, ie, zero_ea)[1],
        "eer": rate, "eer_threshold": at,
        "with_second_look": second_look(d, chips, photos, pairs, threshold, review),
        "closest_impostor": float(i.min()), "closest_impostor_east_asian": float(ie.min()),
        "genuine_median": float(np.median(g)), "impostor_median": float(np.median(i)),
        "hardest_genuine": hardest, "closest_impostors": closest,
        "decision_ms_median": 1000 * float(np.median(seconds)),
        "decision_ms_p95": 1000 * float(np.percentile(seconds, 95)),
    }


def print_table(results: list[dict[str, object]]) -> None:
    rows = [
        ("threshold (configured) / review threshold", None, None),
        ("genuine pairs (East Asian)", None, None),
        ("impostor pairs (East Asian)", None, None),
        ("FAR at the threshold", "far", "{:.4%}"),
        ("FAR, East Asian impostor pairs", "far_east_asian", "{:.4%}"),
        ("FRR at the threshold", "frr", "{:.2%}"),
        ("FRR, East Asian / others", None, None),
        ("threshold at FAR 0 (all impostors)", "threshold_far0", "{:.3f}"),
        ("FRR at that threshold", "frr_at_far0", "{:.2%}"),
        ("threshold at FAR 0 (East Asian impostors)", "threshold_far0_east_asian", "{:.3f}"),
        ("FRR at that threshold", "frr_at_far0_east_asian", "{:.2%}"),
        ("EER (at threshold)", None, None),
        ("with the second look: genuine accepted / staff / rejected", None, None),
        ("with the second look: impostors accepted (East Asian) / staff", None, None),
        ("time per decision, median / p95", None, None),
    ]
    print("| measure | " + " | ".join(str(r["embedder"]) for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for label, key, fmt in rows:
        cells = []
        for r in results:
            if key is not None and fmt is not None:
                cells.append(fmt.format(r[key]))
            elif label.startswith("threshold (configured)"):
                cells.append(f"{r['threshold']:.3f} / {r['review_threshold']:.3f}")
            elif label.startswith("genuine"):
                cells.append(f"{r['genuine_pairs']} ({r['genuine_pairs_east_asian']})")
            elif label.startswith("impostor"):
                cells.append(f"{r['impostor_pairs']} ({r['impostor_pairs_east_asian']})")
            elif label.startswith("FRR, East"):
                cells.append(f"{r['frr_east_asian']:.2%} / {r['frr_others']:.2%}")
            elif label.startswith("EER"):
                cells.append(f"{r['eer']:.2%} ({r['eer_threshold']:.3f})")
            elif label.startswith("with the second look: genuine"):
                a, b, c = r["with_second_look"]["genuine"]  # type: ignore[index]
                n = max(a + b + c, 1)
                cells.append(f"{a / n:.2%} / {b / n:.2%} / {c / n:.2%}")
            elif label.startswith("with the second look: impostors"):
                i_ = r["with_second_look"]["impostor"]  # type: ignore[index]
                e_ = r["with_second_look"]["impostor_east_asian"]  # type: ignore[index]
                cells.append(f"{i_[0]} ({e_[0]}) / {i_[1]}")
            else:
                cells.append(f"{r['decision_ms_median']:.0f} / {r['decision_ms_p95']:.0f} ms")
        print(f"| {label} | " + " | ".join(cells) + " |")


def write_regression(path: Path, chips: list[Sample], photos: list[Sample], embedder: str, people: int) -> None:
    """A small committed set for the test suite: the vectors (no images) of the first ``people`` East
    Asian people and as many others, float16."""
    east = sorted({s.person for s in chips if s.east_asian})[:people]
    other = sorted({s.person for s in chips if not s.east_asian})[:people]
    keep = set(east) | set(other)
    chosen = [(s, "chip") for s in chips if s.person in keep] + [(s, "photo") for s in photos if s.person in keep]
    names = sorted(keep)
    np.savez_compressed(
        path,
        embedder=np.array(embedder),
        vectors=np.stack([s.vectors[embedder] for s, _ in chosen]).astype(np.float16),
        person=np.array([names.index(s.person) for s, _ in chosen], dtype=np.int16),
        source=np.array([s.source for s, _ in chosen], dtype=np.int16),
        east_asian=np.array([s.east_asian for s, _ in chosen]),
        is_chip=np.array([kind == "chip" for _, kind in chosen]),
        lfw_commit=np.array(LFW_COMMIT),
    )
    print(f"wrote {path} ({len(chosen)} vectors of {len(names)} people)", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lfw", type=Path, required=True, help=f"a clone or git directory of {LFW_REPO}")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("KIOSK_FACE_EVAL_CACHE",
                                                                          Path.home() / ".cache" / "kiosk-face-eval")))
    parser.add_argument("--embedders", default="mobilefacenet,dlib")
    parser.add_argument("--others", type=int, default=80, help="people who are not East Asian")
    parser.add_argument("--max-images", type=int, default=8)
    parser.add_argument("--chips", type=int, default=2, help="chip photos made per person")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--write-regression", type=Path)
    parser.add_argument("--dump", type=Path, help="write every vector with its person and source (npz), for study")
    parser.add_argument("--regression-people", type=int, default=30)
    for name, value in DEFAULT_THRESHOLDS.items():
        parser.add_argument(f"--threshold-{name}", type=float, default=value)
        parser.add_argument(f"--review-{name}", type=float, default=DEFAULT_REVIEW_THRESHOLDS[name])
    args = parser.parse_args()
    embedders = args.embedders.split(",")
    errata = lfw_errata(args.lfw)
    listing = {person: [f for f in files if f not in errata] for person, files in lfw_listing(args.lfw).items()}
    people = choose_people(listing, args.others, args.max_images)
    print(f"source: LFW deep-funneled, {LFW_REPO} at {LFW_COMMIT}; cache {args.cache}; "
          f"{len(errata)} photographs left out by LFW's errata")
    print(f"people: {sum(p.east_asian for p in people)} East Asian, {sum(not p.east_asian for p in people)} others; "
          f"{sum(len(p.photos) for p in people)} photographs")
    models = {name: FaceModels(name) for name in embedders}
    chips, photos, unusable = embed_all(models, people, args.lfw, args.cache, args.chips)
    print(f"chip photos {len(chips)}, camera photographs {len(photos)} ({sum(p.gated for p in photos)} pass the "
          f"kiosk's quality gates), unusable (no face found) {unusable}")
    tables: dict[str, list[dict[str, object]]] = {}
    for title, gated_only in (("all pairs", False), ("pairs whose camera photo passes the kiosk's quality gates", True)):
        pairs = Pairs.of(chips, photos, gated_only)
        results = []
        for name in embedders:
            seconds = [c.seconds[name] + p.seconds[name] for c, p in zip(chips, photos, strict=False)]
            threshold = getattr(args, f"threshold_{name}")
            review = max(getattr(args, f"review_{name}"), threshold)
            results.append(report(name, distance_matrix(chips, photos, name), chips, photos, pairs, threshold, review,
                                  seconds))
        tables[title] = results
        print(f"\n{title}:")
        print_table(results)
    if args.json:
        args.json.write_text(json.dumps({"source": {"repo": LFW_REPO, "commit": LFW_COMMIT, "folder": LFW_DIR},
                                          "people": [p.name for p in people],
                                          "gated_photos": sum(p.gated for p in photos), "results": tables}, indent=2))
    if args.dump:
        samples = [(s, True) for s in chips] + [(s, False) for s in photos]
        np.savez_compressed(args.dump, person=np.array([s.person for s, _ in samples]),
                            source=np.array([s.source for s, _ in samples]),
                            east_asian=np.array([s.east_asian for s, _ in samples]),
                            is_chip=np.array([c for _, c in samples]),
                            **{f"vectors_{name}": np.stack([s.vectors[name] for s, _ in samples]) for name in embedders})
    if args.write_regression:
        write_regression(args.write_regression, chips, photos, embedders[0], args.regression_people)
    return 0


if __name__ == "__main__":
    sys.exit(main())
