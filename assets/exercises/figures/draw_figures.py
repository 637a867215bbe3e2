#!/usr/bin/env python3
"""Draws every exercise illustration from its pose (poses.toml) into
assets/exercises/<id>.svg: one side-view figure, facing right, built from
joint angles, so every card shares one body, one scale and one line style.

    assets/exercises/figures/draw_figures.py [--out DIR]

Output is deterministic (fixed rounding, sorted ids): running it again gives
byte-identical files (a test checks). Pose format: see poses.toml's header.
"""
import argparse
import math
import pathlib
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
# Body segment lengths as parts of standing height (rounded anthropometric ratios).
SEG = {"trunk": 0.30, "neck": 0.10, "head_r": 0.062, "upper_arm": 0.17, "forearm": 0.155,
       "thigh": 0.245, "shin": 0.245, "foot": 0.14, "ankle_h": 0.04}
SCALE = 120.0            # SVG units per body height: the same on every card
VIEW_W, VIEW_H = 240, 170
NEAR, FAR, PROP = "#000000", "#8c8c8c", "#555555"
LIMB_W, TRUNK_W, PROP_W = 7.5, 10.0, 2.2


def unit(deg):
    r = math.radians(deg)
    return (math.cos(r), math.sin(r))


def add(p, d, length):
    return (p[0] + d[0] * length, p[1] + d[1] * length)


def skeleton(pose):
    """Joint positions (math coordinates, y up, hip at 0,0) from joint angles.
    Directions are degrees counter-clockwise from 'forward' (+x); the figure
    faces +x. pitch tips the whole body forward, lean the trunk on the hips."""
    pts = {"hip": (0.0, 0.0)}
    trunk = 90 - pose.get("pitch", 0) - pose.get("lean", 0)
    pts["shoulder"] = add(pts["hip"], unit(trunk), SEG["trunk"])
    pts["head"] = add(pts["shoulder"], unit(trunk - pose.get("neck", 0)), SEG["neck"] + SEG["head_r"] * 0.6)
    for side in ("near", "far"):
        j = pose[side]
        thigh = trunk - 180 + j.get("hip", 0)
        shin = thigh - j.get("knee", 0)
        foot = shin + 90 - j.get("ankle", 0)
        knee = add(pts["hip"], unit(thigh), SEG["thigh"] * j.get("thigh_len", 1))
        ankle = add(knee, unit(shin), SEG["shin"] * j.get("shin_len", 1))
        sole = unit(foot - 90)
        pts[side + "_knee"] = knee
        pts[side + "_ankle"] = ankle
        pts[side + "_heel"] = add(add(ankle, unit(foot), -0.25 * SEG["foot"]), sole, SEG["ankle_h"])
        pts[side + "_ball"] = add(add(ankle, unit(foot), 0.55 * SEG["foot"]), sole, SEG["ankle_h"])
        pts[side + "_toe"] = add(add(ankle, unit(foot), 0.78 * SEG["foot"]), sole, SEG["ankle_h"] * 0.8)
        upper = trunk - 180 + j.get("shoulder", 0)
        elbow = add(pts["shoulder"], unit(upper), SEG["upper_arm"])
        pts[side + "_elbow"] = elbow
        pts[side + "_hand"] = add(elbow, unit(upper + j.get("elbow", 0)), SEG["forearm"])
    pts["mid_thigh"] = add(pts["hip"], unit(trunk - 180 + pose["near"].get("hip", 0)), SEG["thigh"] * 0.75)
    return pts


def place(pts, pose):
    """Moves the figure so its ground point (default: the lowest) rests at ground_y,
    and its anchor point (default: none, the hip stays at x 0) at x 0: a foot that
    stays put while the body moves over it (the animations)."""
    ground = pose.get("ground")
    low = pts[ground][1] if ground else min(y for k, (x, y) in pts.items() if k != "head")
    if not ground:
        low = min(low, pts["head"][1] - SEG["head_r"])
    dy = pose.get("ground_y", 0.0) - low
    dx = -pts[pose["anchor"]][0] if "anchor" in pose else 0.0
    return {k: (x + dx, y + dy) for k, (x, y) in pts.items()}


def limb(points, colour, width):
    d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
    return (f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>')


def arrow(start, end, width=2.6):
    (x0, y0), (x1, y1) = start, end
    ang = math.atan2(y1 - y0, x1 - x0)
    wing = [(x1 - 9 * math.cos(ang + s * 0.45), y1 - 9 * math.sin(ang + s * 0.45)) for s in (-1, 1)]
    return (limb([start, end], NEAR, width) +
            f'<path d="M{wing[0][0]:.1f},{wing[0][1]:.1f} L{x1:.1f},{y1:.1f} L{wing[1][0]:.1f},{wing[1][1]:.1f}" '
            f'fill="none" stroke="{NEAR}" stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"/>')


class Canvas:
    """Math coordinates (body heights, y up) → SVG units, centred in the view."""

    def __init__(self, pts, props):
        xs = [x for x, _ in pts.values()] + [x for p in props for x in p.get("_xs", [])]
        ys = [y for _, y in pts.values()] + [0.0] + [y for p in props for y in p.get("_ys", [])]
        self.cx = (min(xs) + max(xs)) / 2
        self.cy = (min(ys) + max(ys) + SEG["head_r"]) / 2
        span = max((max(xs) - min(xs)) * SCALE / (VIEW_W - 24), (max(ys) - min(ys)) * SCALE / (VIEW_H - 24), 1)
        self.s = SCALE / span

    def __call__(self, p):
        return (VIEW_W / 2 + (p[0] - self.cx) * self.s, VIEW_H / 2 - (p[1] - self.cy) * self.s)


def prop_top(prop, pts):
    """A wall reaches above the head; a rail or post a little above what holds it."""
    if "top" in prop:
        return prop["top"]
    if prop["type"] == "wall":
        return pts["head"][1] + 0.1
    return pts[prop["at"]][1] + 0.05


def prop_extent(prop, pts):
    """Points a prop covers (for framing), in math coordinates."""
    kind = prop["type"]
    if kind == "step":
        x = pts[prop["edge"]][0] - 0.02
        prop["_xs"] = [x, x + prop.get("depth", 0.3)]
        prop["_ys"] = [prop["height"]]
    elif kind in ("wall", "rail"):
        x = pts[prop["at"]][0] + prop.get("dx", 0.02)
        prop["_xs"] = [x]
        prop["_ys"] = [prop_top(prop, pts)]
    elif kind == "chair":
        x = pts["hip"][0]
        prop["_xs"] = [x - 0.17, x + 0.12]
        prop["_ys"] = [pts["hip"][1]]
    elif kind == "ball":
        prop["_xs"] = [pts[prop["under"]][0]]
    return prop


def draw_prop(prop, pts, c):
    kind = prop["type"]
    out = []
    if kind == "step":
        x0 = pts[prop["edge"]][0] - 0.02
        h = prop["height"]
        a, b = c((x0, h)), c((x0 + prop.get("depth", 0.3), 0))
        out.append(f'<rect x="{a[0]:.1f}" y="{a[1]:.1f}" width="{b[0] - a[0]:.1f}" height="{b[1] - a[1]:.1f}" '
                   f'fill="#e6e6e6" stroke="{PROP}" stroke-width="{PROP_W}"/>')
    elif kind in ("wall", "rail"):
        x = pts[prop["at"]][0] + prop.get("dx", 0.02)
        top = prop_top(prop, pts)
        if kind == "wall":
            a, b = c((x, top)), c((x + 0.05, 0))
            out.append(f'<rect x="{a[0]:.1f}" y="{a[1]:.1f}" width="{b[0] - a[0]:.1f}" height="{b[1] - a[1]:.1f}" '
                       f'fill="#e6e6e6" stroke="{PROP}" stroke-width="{PROP_W}"/>')
        else:
            out.append(limb([c((x, 0)), c((x, top))], PROP, 4))
    elif kind == "chair":
        hx, hy = pts["hip"]
        seat = hy - 0.055
        out.append(limb([c((hx - 0.16, seat)), c((hx + 0.11, seat))], PROP, 5))
        out.append(limb([c((hx - 0.14, seat)), c((hx - 0.14, 0))], PROP, 3))
        out.append(limb([c((hx + 0.09, seat)), c((hx + 0.09, 0))], PROP, 3))
        if prop.get("back", True):
            out.append(limb([c((hx - 0.16, seat)), c((hx - 0.16, seat + 0.25))], PROP, 4))
    elif kind == "mat":
        a, b = c((prop["from"], 0.018)), c((prop["to"], 0))
        out.append(f'<rect x="{a[0]:.1f}" y="{a[1]:.1f}" width="{b[0] - a[0]:.1f}" height="{b[1] - a[1]:.1f}" '
                   f'fill="#d0d0d0" stroke="none"/>')
    elif kind == "band":
        out.append(limb([c(pts[p]) if isinstance(p, str) else c(tuple(p)) for p in prop["through"]], NEAR, 2.2))
    elif kind == "towel":
        x = pts[prop["under"]][0]
        d = " ".join(f"{'M' if i == 0 else 'L'}{c((x - 0.06 + i * 0.02, 0.006 + 0.008 * (i % 2)))[0]:.1f},"
                     f"{c((x - 0.06 + i * 0.02, 0.006 + 0.008 * (i % 2)))[1]:.1f}" for i in range(8))
        out.append(f'<path d="{d}" fill="none" stroke="{PROP}" stroke-width="3" stroke-linejoin="round"/>')
    elif kind == "ball":
        x, r = pts[prop["under"]][0], prop.get("r", 0.03)
        cx, cy = c((x, r))
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r * c.s:.1f}" fill="#ffffff" '
                   f'stroke="{NEAR}" stroke-width="2.4"/>')
    elif kind == "arrow":
        start = pts[prop["at"]] if "at" in prop else tuple(prop["from"])
        start = (start[0] + prop.get("dx", 0), start[1] + prop.get("dy", 0))
        end = add(start, unit(prop["dir"]), prop.get("len", 0.1))
        out.append(arrow(c(start), c(end)))
    return out


def figure(pts, c, pose):
    out = []
    hide = set(pose.get("hide", []))
    for side, colour in (("far", FAR), ("near", NEAR)):
        leg = [c(pts["hip"]), c(pts[side + "_knee"]), c(pts[side + "_ankle"]), c(pts[side + "_heel"]),
               c(pts[side + "_toe"]), c(pts[side + "_ankle"])]
        arm = [c(pts["shoulder"]), c(pts[side + "_elbow"]), c(pts[side + "_hand"])]
        part = []
        if side + "_leg" not in hide:
            part.append(limb(leg, colour, LIMB_W))
        if side + "_arm" not in hide:
            part.append(limb(arm, colour, LIMB_W * 0.85))
        if side == "near":
            out.append(limb([c(pts["hip"]), c(pts["shoulder"])], NEAR, TRUNK_W))
            hx, hy = c(pts["head"])
            out.append(f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{SEG["head_r"] * c.s:.1f}" fill="{NEAR}"/>')
        out.extend(part)
    return out


def posed(pose):
    """The figure's points and its props (with their extents), placed on the ground."""
    pts = place(skeleton(pose), pose)
    return pts, [prop_extent(dict(p), pts) for p in pose.get("props", [])]


def render(ex_id, pose, canvas=None):
    """One SVG. canvas: a shared framing (every frame of an animation); default: this pose's own."""
    pts, props = posed(pose)
    c = canvas or Canvas(pts, props)
    front = {"band", "ball", "arrow", "towel"}
    body = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_W} {VIEW_H}" '
            f'width="{VIEW_W}" height="{VIEW_H}">',
            f'<title>{ex_id}</title>',
            limb([(6, c((0, 0))[1]), (VIEW_W - 6, c((0, 0))[1])], PROP, PROP_W)]
    for p in props:
        if p["type"] not in front:
            body.extend(draw_prop(p, pts, c))
    body.extend(figure(pts, c, pose))
    for p in props:
        if p["type"] in front:
            body.extend(draw_prop(p, pts, c))
    body.append("</svg>")
    return "\n".join(body) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=HERE.parent, help="folder for the SVGs")
    args = ap.parse_args()
    poses = tomllib.loads((HERE / "poses.toml").read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    for ex_id in sorted(poses):
        (args.out / f"{ex_id}.svg").write_text(render(ex_id, poses[ex_id]), encoding="utf-8")


if __name__ == "__main__":
    main()
