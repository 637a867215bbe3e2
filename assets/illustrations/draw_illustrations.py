#!/usr/bin/env python3
"""Draws the instruction screens' illustrations from motions.toml into
assets/illustrations/<id>/: still.svg, frame-NN.svg and illustration.toml
(the kiosk's manifest: format in kiosk/media/illustration_set.h). The body,
its pose format and the SVG style are the handout figures' own
(assets/exercises/figures/draw_figures.py): one home for figure drawing.

    assets/illustrations/draw_illustrations.py [--motions FILE] [--out DIR]

A clinician's new test draws its own the same way: a motions file in the
script folder's illustrations/ and --out that folder (scripts/README.md).

Deterministic (fixed rounding, sorted ids): running it again gives
byte-identical files (a test checks). Every frame of an id shares one
framing, so the figure moves and the floor and props stay still.
"""
import argparse
import copy
import math
import pathlib
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "exercises" / "figures"))
import draw_figures  # noqa: E402  (the shared figure drawing)


def merged(base, key):
    """A key's full pose: the base with the key's values over it."""
    pose = copy.deepcopy(base)
    for k, v in key.items():
        if k not in ("hold_ms", "move_ms"):
            pose[k] = copy.deepcopy(v)
    return pose


def between(a, b, t):
    """Numbers eased from pose a to pose b (t 0..1, smooth at both ends); the rest from a."""
    e = (1 - math.cos(math.pi * t)) / 2
    if isinstance(a, dict):
        return {k: between(v, b.get(k, v), t) if k in b else v for k, v in a.items()}
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        return a + (b - a) * e
    return a


def frames_of(motion):
    """(pose, ms) for every frame of one pass, in order."""
    keys = [merged(motion.get("base", {}), k) for k in motion["keys"]]
    step = motion["step_ms"]
    out = []
    for i, key in enumerate(motion["keys"]):
        a, b = keys[i], keys[(i + 1) % len(keys)]
        out.append((a, key["hold_ms"]))
        n = max(1, round(key["move_ms"] / step))
        out.extend((between(a, b, j / n), step) for j in range(1, n))
    return out


def shared_canvas(poses):
    """One framing that holds every pose."""
    pts, props = {}, []
    for i, pose in enumerate(poses):
        p, pr = draw_figures.posed(pose)
        pts.update({f"{i}.{k}": v for k, v in p.items()})
        props.extend(pr)
    return draw_figures.Canvas(pts, props)


def draw(ill_id, motion, out):
    frames = frames_of(motion)
    still = merged(motion.get("base", {}), motion["keys"][motion["still"]])
    still["props"] = still.get("props", []) + motion.get("still_props", [])
    canvas = shared_canvas([p for p, _ in frames] + [still])
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("frame-*.svg"):
        old.unlink()
    (out / "still.svg").write_text(draw_figures.render(ill_id, still, canvas), encoding="utf-8")
    lines = [f"# {ill_id}: drawn by assets/illustrations/draw_illustrations.py from motions.toml; do not edit.",
             "version = 1", 'still = "still.svg"', f"loops = {motion['loops']}", "frames = ["]
    for i, (pose, ms) in enumerate(frames):
        name = f"frame-{i:02d}.svg"
        (out / name).write_text(draw_figures.render(ill_id, pose, canvas), encoding="utf-8")
        lines.append(f'  {{ svg = "{name}", ms = {ms} }},')
    lines.append("]")
    (out / "illustration.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--motions", type=pathlib.Path, default=HERE / "motions.toml",
                    help="the movements to draw (default: the bundled tests')")
    ap.add_argument("--out", type=pathlib.Path, default=None,
                    help="folder for the <id>/ folders (default: the motions file's folder)")
    args = ap.parse_args()
    if args.out is None:
        args.out = args.motions.resolve().parent
    motions = tomllib.loads(args.motions.read_text(encoding="utf-8"))
    for ill_id in sorted(motions):
        draw(ill_id, motions[ill_id], args.out / ill_id)


if __name__ == "__main__":
    main()
