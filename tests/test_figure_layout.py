"""Figures that pass a proof-read: every figure, in both languages, has no text off the canvas,
no two texts on top of each other, no text on the data, and French typography in French
(analysis.figures.proofread). The checker itself is tested on figures broken on purpose."""
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from analysis.figures import FIGURES, LANGS
from analysis.figures.proofread import check, place_clear, typography
from analysis.figures.style import french_spaces, number
from analysis.observations import load_observations


@pytest.fixture(scope="module")
def obs():
    return load_observations()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("figure_id", list(FIGURES))
def test_figure_passes_proofread(obs, figure_id, lang):
    findings = check(FIGURES[figure_id](obs, lang), f"{figure_id} [{lang}]", lang=lang)
    assert not findings, "\n".join(map(str, findings))


def _figure():
    fig = Figure(figsize=(4, 3))
    ax = fig.add_axes((0.15, 0.15, 0.8, 0.7))
    return fig, ax


def test_checker_reports_text_off_the_canvas_and_overlapping_texts():
    fig, _ = _figure()
    fig.text(0.7, 0.95, "a title far too long for this canvas")
    fig.text(0.02, 0.02, "first label")
    fig.text(0.05, 0.02, "second label")
    findings = check(fig, "broken")
    problems = {f.problem for f in findings}
    assert problems == {"canvas", "texts"}, findings
    lines = [str(f) for f in findings]
    assert any("'a title far too long for this canvas' extends beyond the canvas (right)" in line for line in lines), lines
    assert any("'first label' overlaps text 'second label' by" in line and line.startswith("broken: ") for line in lines), lines
    overflow = next(f for f in findings if f.problem == "canvas")
    assert overflow.width > 10  # px, as reported


def test_checker_reports_text_on_data_and_across_a_frame():
    fig, ax = _figure()
    ax.bar([0, 1], [10, 5])
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(0, 12)
    ax.text(0, 5, "on the bar")  # inside a bar
    ax.plot([0, 1], [11, 6], color="k", label="trend")
    ax.annotate("on the line", (0.5, 8.5), ha="center", va="center")
    findings = check(fig)
    data = [str(f) for f in findings if f.problem == "data"]
    assert any("'on the bar' overlaps the data: bar" in line for line in data), data
    assert any("'on the line' overlaps the data: line 'trend'" in line for line in data), data

    fig, ax = _figure()
    ax.set_axis_off()
    ax.add_patch(FancyBboxPatch((0.1, 0.1), 0.3, 0.3, boxstyle="round,pad=0.01"))
    ax.text(0.25, 0.25, "inside", ha="center", va="center")
    ax.text(0.25, 0.12, "a footnote much wider than its card", ha="center")
    findings = check(fig)
    assert [f.problem for f in findings] == ["frame"], findings
    assert "'a footnote much wider than its card' runs across the border of the frame" in str(findings[0])


def test_checker_accepts_the_designed_cases():
    fig, ax = _figure()
    bars = ax.bar([0, 1], [10, 5], label="reports")
    for bar in bars:  # a value label just above its own bar
        ax.annotate(number(bar.get_height(), "en"), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom")
    ax.set_ylim(0, 14)
    ax.grid(True)  # gridlines and spines are not data
    ax.legend(loc="upper right", frameon=True)  # inside the axes, over no data
    fig2, ax2 = _figure()
    ax2.barh([0, 1], [3, 8])
    for i, value in enumerate([3, 8]):  # a label starting where its bar ends
        ax2.text(value, i, f" {value}", va="center")
    ax2.set_xlim(0, 10)
    assert check(fig) == [] and check(fig2) == []
    assert fig.get_dpi() == 100  # checked at the PNG's resolution, then restored


def test_typography_of_french_texts():
    fig, ax = _figure()
    ax.set_axis_off()
    fig.text(0.02, 0.9, "Source : NCMEC ; 70% ; 1,372 ; 35.9 millions ; 5th")
    problems = typography(fig, "fr figure", "fr")[0].second
    for expected in ("before ' :'", "before ' ;'", "in '70%'", "in '1,372'", "in '35.9'", "ordinal '5th'"):
        assert expected in problems, problems
    fig, ax = _figure()
    ax.xaxis.set_major_formatter(lambda v, _: number(v, "fr", 1))  # 0,2 and not 0.2
    ax.yaxis.set_major_formatter(lambda v, _: number(v, "fr", 1))
    fig.text(0.02, 0.9, french_spaces("Source : NCMEC ; « citation » ; 70 %"))
    fig.text(0.02, 0.5, number(1372, "fr"))
    assert typography(fig, "fr figure", "fr") == []
    assert typography(fig, "en figure", "en") == []


def test_place_clear_moves_a_label_off_the_data():
    fig, ax = _figure()
    ax.plot([0, 2], [0, 2])
    ax.plot([1, 2], [1.2, 1.2], color="k")  # a series that ends where the other goes on
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    label = ax.annotate("label", (1, 1.2), xytext=(6, 0), textcoords="offset points", va="center")
    assert place_clear(label, [((6, 0), "left", "center"), ((-6, 0), "right", "center"), ((0, 8), "center", "bottom")])
    assert check(fig) == []
