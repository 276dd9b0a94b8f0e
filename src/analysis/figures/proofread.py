"""Proof-read a figure's layout: text off the canvas, texts on top of each other, text on the data.

`check(fig)` draws nothing to disk: it lays the figure out once (`draw_without_rendering`) and
compares the renderer's window extents, in display pixels, of

- every visible text: figure texts (title, subtitle, source and note), axes titles, texts and
  annotations, axis labels, the tick labels matplotlib draws (inside the view limits only), and
  each legend as one box (its frame, handles and texts);
- with the canvas (a text must lie inside it), with every other text (no two may overlap), and
  with the data of every axes: bars and other patches, lines and their markers, scatter markers,
  filled areas (`fill_between`), `vlines`/`hlines`, images. Gridlines, spines and the axes
  background are not data. Data is clipped as it is drawn (to the axes), so only what is
  visible counts.

A rounded box (`FancyBboxPatch`, e.g. a card) is a frame, not data: a text may sit inside it or
outside it, but not across its border. A value label that touches its own bar (a bar's end and
a label starting with a space, or a label a few points above the bar) is within the tolerance.

With lang="fr" it also reads every French text for French typography (`typography`): a
no-break space before : ; ! ? % and inside « », no English number formats (1,372, 35.9, 70%, 5th).

    from analysis.figures.proofread import check
    for finding in check(fig, "my_figure [fr]", lang="fr"):
        print(finding)  # e.g. "my_figure [fr]: text 'first' overlaps text 'second' by 12.0 × 4.5 px"

`check_figures()` runs it on every figure of the build in both languages
(`python -m analysis.figures.proofread`). `place_clear()` puts a label where it covers nothing.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from analysis.figures.style import PNG_DPI

TOLERANCE = 1.0  # px: touching is fine, overlapping by more than this is not


@dataclass(frozen=True)
class Finding:
    figure: str
    problem: str  # "canvas", "texts", "data", "frame", "typography"
    first: str
    second: str
    width: float  # px of overlap (or of overflow, for "canvas" and "frame")
    height: float

    def __str__(self) -> str:
        where = f"{self.figure}: " if self.figure else ""
        size = f"{self.width:.1f} × {self.height:.1f} px"
        if self.problem == "canvas":
            return f"{where}{self.first} extends beyond the canvas ({self.second}) by {size}"
        if self.problem == "frame":
            return f"{where}{self.first} runs across the border of {self.second} (outside by {size})"
        if self.problem == "typography":
            return f"{where}{self.first} has {self.second}"
        if self.problem == "texts":
            return f"{where}{self.first} overlaps {self.second} by {size}"
        return f"{where}{self.first} overlaps the data: {self.second}, by {size}"


@dataclass
class _Item:
    name: str
    bbox: Bbox


def check(fig: Figure, name: str = "", tolerance: float = TOLERANCE, dpi: float = PNG_DPI, lang: str | None = None) -> list[Finding]:
    """Every layout problem of a figure, as findings (empty when the figure passes); with
    lang="fr", French typography too (`typography`), from the same layout.

    Measured at `dpi`, by default the published PNG's: hinted text is not exactly as wide at
    every resolution (a label that fits at 100 dpi can be cut at 150). The figure's own dpi is
    restored afterwards.
    """
    original_dpi = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        renderer = _lay_out(fig)
        return _check(fig, renderer, name, tolerance) + (_typography(fig, renderer, name) if lang == "fr" else [])
    finally:
        fig.set_dpi(original_dpi)


def _lay_out(fig: Figure):
    """Lay the figure out as it will be drawn (ticks, legends, texts) without rasterising it."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def _check(fig: Figure, renderer, name: str, tolerance: float) -> list[Finding]:
    texts = _texts(fig, renderer)
    data = [element for ax in fig.axes if ax.get_visible() for element in _data(ax, renderer)]
    findings = []
    canvas = fig.bbox
    for item in texts:
        b = item.bbox
        sides = {"left": canvas.x0 - b.x0, "right": b.x1 - canvas.x1, "bottom": canvas.y0 - b.y0, "top": b.y1 - canvas.y1}
        out = [side for side, excess in sides.items() if excess > tolerance]
        if out:
            width = max(sides["left"], 0) + max(sides["right"], 0)
            height = max(sides["bottom"], 0) + max(sides["top"], 0)
            findings.append(Finding(name, "canvas", item.name, ", ".join(out), width, height))
    for a, b in itertools.combinations(texts, 2):
        w, h = _overlap(a.bbox, b.bbox)
        if w > tolerance and h > tolerance:
            findings.append(Finding(name, "texts", a.name, b.name, w, h))
    for item in texts:
        inner = _shrink(item.bbox, tolerance)
        if inner is None:
            continue
        for element in data:
            hit = element.hit(inner)
            if hit is not None:
                kind = "frame" if isinstance(element, _Frame) else "data"
                findings.append(Finding(name, kind, item.name, element.name, *hit))
    return findings


# French typography: what a French text must not contain (ordinary spaces where a no-break space
# belongs, English number formats).
FRENCH_RULES = (
    (re.compile(r" [:;!?%»]"), "an ordinary space before {match!r} (French: no-break space)"),
    (re.compile(r"« "), "an ordinary space after « (French: no-break space)"),
    (re.compile(r"\d+(?:[.,]\d+)?%"), "no space before % in {match!r} (French: narrow no-break space)"),
    (re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])"), "an English thousands separator in {match!r}"),
    (re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])"), "a decimal point in {match!r}"),
    (re.compile(r"\b\d+(?:st|nd|rd|th)\b"), "an English ordinal {match!r}"),
)


def typography(fig: Figure, name: str = "", lang: str = "fr") -> list[Finding]:
    """French typography of every visible text of a French figure (nothing to check in English)."""
    return _typography(fig, _lay_out(fig), name) if lang == "fr" else []


def _typography(fig: Figure, renderer, name: str) -> list[Finding]:
    findings = []
    for item, text in _visible_texts(fig, renderer):
        problems = dict.fromkeys(problem.format(match=match.group(0)) for pattern, problem in FRENCH_RULES
                                 for match in pattern.finditer(text))
        if problems:
            findings.append(Finding(name, "typography", item, "; ".join(problems), 0, 0))
    return findings


def check_figures(figure_ids=None, langs=("en", "fr"), obs=None) -> list[Finding]:
    """Draw each figure of the build (all of FIGURES by default) in each language and check its
    layout (`check`) and, in French, its typography (`typography`)."""
    from analysis.figures import FIGURES
    from analysis.observations import load_observations

    obs = load_observations() if obs is None else obs
    findings = []
    for figure_id in figure_ids or FIGURES:
        for lang in langs:
            findings += check(FIGURES[figure_id](obs, lang), f"{figure_id} [{lang}]", lang=lang)
    return findings


def place_clear(annotation, candidates, dpi: float = PNG_DPI, tolerance: float = TOLERANCE) -> bool:
    """Put an annotation at the first of `candidates` ((dx, dy) in points, ha, va) where it covers
    no data and no other text of its axes; at the first candidate if none is clear. Call it once
    the axes' limits are set. Returns whether a clear place was found."""
    ax = annotation.axes
    fig = ax.figure
    original_dpi = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()
        data = _data(ax, renderer)
        others = [t.get_window_extent(renderer) for t in ax.texts if t is not annotation and _shown(t) and t.get_text().strip()]
        for (dx, dy), ha, va in candidates:
            annotation.xyann = (dx, dy)
            annotation.set_horizontalalignment(ha)
            annotation.set_verticalalignment(va)
            box = annotation.get_window_extent(renderer)
            inner = _shrink(box, tolerance)
            clear = inner is None or all(element.hit(inner) is None for element in data)
            clear = clear and all(min(_overlap(box, other)) <= tolerance for other in others)
            if clear:
                return True
        (dx, dy), ha, va = candidates[0]
        annotation.xyann = (dx, dy)
        annotation.set_horizontalalignment(ha)
        annotation.set_verticalalignment(va)
        return False
    finally:
        fig.set_dpi(original_dpi)


# --- texts -----------------------------------------------------------------------------------

def _label(text: str, limit: int = 48) -> str:
    one_line = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return repr(one_line if len(one_line) <= limit else one_line[: limit - 1] + "…")


def _shown(artist) -> bool:
    return artist.get_visible() and (artist.get_alpha() is None or artist.get_alpha() > 0)


def _text_artists(fig: Figure) -> tuple[list[tuple[str, Text]], list[Legend]]:
    """(role, Text) of every text matplotlib will draw, and the legends (their texts apart)."""
    found = [("text", t) for t in fig.texts]
    legends = list(fig.legends)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        titles = (ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None))
        for child in ax.get_children():
            if isinstance(child, Text):
                found.append(("title" if child in titles else "text", child))
            elif isinstance(child, Legend):
                legends.append(child)
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                if _shown(axis):
                    found += _axis_texts(axis)
    shown = [(role, t) for role, t in found if _shown(t) and t.get_text().strip()]
    return shown, [legend for legend in legends if _shown(legend)]


def _texts(fig: Figure, renderer) -> list[_Item]:
    """Every text as a box; each legend as one box."""
    found, legends = _text_artists(fig)
    items = [_Item(f"{role} {_label(t.get_text())}", t.get_window_extent(renderer)) for role, t in found]
    for legend in legends:
        labels = [t.get_text() for t in legend.get_texts() if t.get_text().strip()]
        items.append(_Item(f"legend {_label(' / '.join(labels))}", legend.get_window_extent(renderer)))
    return items


def _visible_texts(fig: Figure, renderer) -> list[tuple[str, str]]:
    """(description, text) of every visible text, legend entries included."""
    found, legends = _text_artists(fig)
    found += [("legend entry", t) for legend in legends for t in [*legend.get_texts(), legend.get_title()]
              if _shown(t) and t.get_text().strip()]
    return [(f"{role} {_label(t.get_text())}", t.get_text()) for role, t in found]


def _axis_texts(axis: Axis) -> list[tuple[str, Text]]:
    which = axis.axis_name
    found = [(f"{which}-axis label", axis.label), (f"{which}-axis offset", axis.offsetText)]
    scale = axis.get_transform()
    lo, hi = sorted(scale.transform(np.asarray(axis.get_view_interval(), float)))
    eps = 1e-9 * max(abs(hi - lo), 1e-300)
    for locs, ticks in ((axis.get_majorticklocs(), axis.get_major_ticks), (axis.get_minorticklocs(), axis.get_minor_ticks)):
        if not len(locs):
            continue
        for tick, loc in zip(ticks(len(locs)), locs):
            position = scale.transform(np.asarray([float(loc)]))[0]
            if not (lo - eps <= position <= hi + eps) or not _shown(tick):
                continue  # matplotlib draws only the ticks inside the view limits
            found += [(f"{which} tick label", tick.label1), (f"{which} tick label", tick.label2)]
    return found


# --- data ------------------------------------------------------------------------------------

class _Element:
    """Something drawn in an axes that a text must not cover."""

    name: str
    clip: Bbox | None

    def _region(self, rect: Bbox) -> Bbox | None:
        if self.clip is None:
            return rect
        return _intersection(rect, self.clip)


@dataclass
class _Boxes(_Element):
    """Rectangles in display space: bars, markers, images."""

    name: str
    boxes: np.ndarray  # (n, 4): x0, y0, x1, y1
    clip: Bbox | None

    def hit(self, rect: Bbox):
        region = self._region(rect)
        if region is None or not len(self.boxes):
            return None
        b = self.boxes
        x0, y0 = np.maximum(b[:, 0], region.x0), np.maximum(b[:, 1], region.y0)
        x1, y1 = np.minimum(b[:, 2], region.x1), np.minimum(b[:, 3], region.y1)
        hit = (x1 > x0) & (y1 > y0)
        if not hit.any():
            return None
        return float((x1 - x0)[hit].max()), float((y1 - y0)[hit].max())


@dataclass
class _Polygons(_Element):
    """Filled shapes (fill_between areas, polygons) as display-space paths."""

    name: str
    paths: list
    clip: Bbox | None

    def hit(self, rect: Bbox):
        region = self._region(rect)
        if region is None:
            return None
        for path in self.paths:
            if path.intersects_bbox(region, filled=True):
                return _overlap(region, path.get_extents())
        return None


@dataclass
class _Segments(_Element):
    """Drawn lines: polylines in display space, thickened by half their width."""

    name: str
    segments: np.ndarray  # (n, 2, 2)
    pad: float
    clip: Bbox | None

    def hit(self, rect: Bbox):
        region = self._region(rect)
        if region is None or not len(self.segments):
            return None
        grown = Bbox.from_extents(region.x0 - self.pad, region.y0 - self.pad, region.x1 + self.pad, region.y1 + self.pad)
        crossing = _segments_cross(self.segments, grown)
        if not crossing.any():
            return None
        s = self.segments[crossing]
        ext = Bbox.from_extents(s[..., 0].min() - self.pad, s[..., 1].min() - self.pad, s[..., 0].max() + self.pad, s[..., 1].max() + self.pad)
        return _overlap(region, ext)


@dataclass
class _Frame(_Element):
    """A box that texts sit inside or outside of, never across its border (a card)."""

    name: str
    box: Bbox
    clip: Bbox | None

    def hit(self, rect: Bbox):
        w, h = _overlap(rect, self.box)
        if w <= 0 or h <= 0:
            return None  # outside
        b = self.box
        out_w = max(b.x0 - rect.x0, 0) + max(rect.x1 - b.x1, 0)
        out_h = max(b.y0 - rect.y0, 0) + max(rect.y1 - b.y1, 0)
        if out_w <= 0 and out_h <= 0:
            return None  # inside
        return out_w, out_h


def _clip(artist) -> Bbox | None:
    return artist.get_clip_box() if artist.get_clip_on() else None


def _describe(artist, kind: str) -> str:
    label = artist.get_label()
    return f"{kind} {_label(label)}" if label and not label.startswith("_") else kind


def _data(ax, renderer) -> list[_Element]:
    elements: list[_Element] = []
    px = renderer.points_to_pixels
    for patch in ax.patches:
        if not _shown(patch):
            continue
        path = patch.get_transform().transform_path(patch.get_path())
        if isinstance(patch, FancyBboxPatch):
            elements.append(_Frame(f"the frame ({type(patch).__name__}) at {_where(path.get_extents())}", path.get_extents(), _clip(patch)))
        else:
            kind = "bar" if type(patch).__name__ == "Rectangle" else type(patch).__name__
            elements.append(_Polygons(f"{_describe(patch, kind)} at {_where(path.get_extents())}", [path], _clip(patch)))
    for line in ax.lines:
        if not _shown(line):
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), float))
        if line.get_linestyle() not in ("None", "", " ", "none") and line.get_linewidth() > 0:
            elements.append(_Segments(_describe(line, "line"), _polyline(xy), px(line.get_linewidth()) / 2, _clip(line)))
        if line.get_marker() not in (None, "None", "", " ", "none"):
            half = (px(line.get_markersize()) + px(line.get_markeredgewidth())) / 2
            elements.append(_Boxes(_describe(line, "markers of line"), _around(xy, half), _clip(line)))
    for collection in ax.collections:
        if not _shown(collection):
            continue
        if isinstance(collection, PathCollection):  # scatter
            offsets = collection.get_offset_transform().transform(np.asarray(collection.get_offsets(), float))
            sizes = collection.get_sizes() if len(collection.get_sizes()) else np.array([36.0])
            widths = collection.get_linewidths() if len(collection.get_linewidths()) else np.array([0.0])
            n = len(offsets)
            half = (np.sqrt(np.resize(sizes, n)) * px(1) + np.resize(widths, n) * px(1)) / 2
            elements.append(_Boxes(_describe(collection, "markers"), _around(offsets, half), _clip(collection)))
        elif isinstance(collection, LineCollection):  # vlines, hlines
            transform = collection.get_transform()
            segments = [transform.transform(np.asarray(s, float)) for s in collection.get_segments()]
            lw = max(collection.get_linewidths()) if len(collection.get_linewidths()) else 1.0
            pairs = [p for s in segments for p in _polyline(s)]
            elements.append(_Segments(_describe(collection, "lines"), np.asarray(pairs).reshape(-1, 2, 2), px(lw) / 2, _clip(collection)))
        else:  # fill_between and other filled collections
            transform = collection.get_transform()
            paths = [transform.transform_path(p) for p in collection.get_paths()]
            elements.append(_Polygons(_describe(collection, "area"), paths, _clip(collection)))
    for image in ax.images:
        if _shown(image):
            e = image.get_window_extent(renderer)
            elements.append(_Boxes("image", np.array([[e.x0, e.y0, e.x1, e.y1]]), _clip(image)))
    return elements


def _polyline(xy: np.ndarray) -> np.ndarray:
    """Consecutive finite points as segments (NaN makes a gap, as when drawn)."""
    if len(xy) < 2:
        return np.empty((0, 2, 2))
    pairs = np.stack([xy[:-1], xy[1:]], axis=1)
    return pairs[np.isfinite(pairs).all(axis=(1, 2))]


def _around(xy: np.ndarray, half) -> np.ndarray:
    xy = xy[np.isfinite(xy).all(axis=1)] if len(xy) else xy.reshape(0, 2)
    half = np.broadcast_to(np.asarray(half, float), (len(xy),)) if np.ndim(half) == 0 else np.asarray(half)[: len(xy)]
    return np.column_stack([xy[:, 0] - half, xy[:, 1] - half, xy[:, 0] + half, xy[:, 1] + half])


def _segments_cross(segments: np.ndarray, box: Bbox) -> np.ndarray:
    """Which segments pass through the box (Liang-Barsky clipping, vectorised)."""
    p0, d = segments[:, 0], segments[:, 1] - segments[:, 0]
    t0, t1 = np.zeros(len(segments)), np.ones(len(segments))
    ok = np.ones(len(segments), bool)
    for axis, lo, hi in ((0, box.x0, box.x1), (1, box.y0, box.y1)):
        for p, q in ((-d[:, axis], p0[:, axis] - lo), (d[:, axis], hi - p0[:, axis])):
            parallel = p == 0
            ok &= ~(parallel & (q < 0))
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
            entering, leaving = (p < 0) & ~parallel, (p > 0) & ~parallel
            t0 = np.where(entering, np.maximum(t0, r), t0)
            t1 = np.where(leaving, np.minimum(t1, r), t1)
    return ok & (t0 <= t1)


# --- boxes -----------------------------------------------------------------------------------

def _overlap(a: Bbox, b: Bbox) -> tuple[float, float]:
    return min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)


def _intersection(a: Bbox, b: Bbox) -> Bbox | None:
    x0, y0, x1, y1 = max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1)
    return Bbox.from_extents(x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _shrink(b: Bbox, by: float) -> Bbox | None:
    if b.width <= 2 * by or b.height <= 2 * by:
        return None
    return Bbox.from_extents(b.x0 + by, b.y0 + by, b.x1 - by, b.y1 - by)


def _where(b: Bbox) -> str:
    return f"x {b.x0:.0f}–{b.x1:.0f}, y {b.y0:.0f}–{b.y1:.0f} px"


def main() -> int:
    findings = check_figures()
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
