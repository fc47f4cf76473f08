"""`anshin preview`: the page is written by the real command, opened in a real headless Chromium,
and read back the way an admin sees it: every step there, with its text, its buttons and where
each leads; the facts; the graph drawn with no two steps on top of each other; nothing loaded
from anywhere."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, Page, find_chromium

from bot import cli
from bot.cli.flows import load_library
from bot.content.model import Library

SHIPPED = Path(__file__).resolve().parent.parent / "flows"

READ_PAGE = """(() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const steps = [...document.querySelectorAll('section.step')].map((s) => ({
    id: s.dataset.step, text: s.innerText, box: box(s),
    targets: [...s.querySelectorAll('ul.ways a[href^="#step-"]')]
      .map((a) => a.getAttribute('href').slice(6)),
  }));
  const nodes = [...document.querySelectorAll('#graph a.node')].map((a) => ({
    id: a.dataset.step, box: box(a) }));
  const svg = box(document.getElementById('graph'));
  const links = [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href'));
  const missing = links.filter((h) => !document.getElementById(h.slice(1)));
  const edges = [...document.querySelectorAll('#graph path.edge')].map((p) => ({
    from: p.dataset.from, to: p.dataset.to, length: p.getTotalLength() }));
  return {steps, nodes, svg, missing, edges,
    loaded: performance.getEntriesByType('resource').map((r) => r.name),
    facts: [...document.querySelectorAll('tr[id^="fact-"]')].map((t) => t.id.slice(5)),
    mermaid: document.getElementById('mermaid').textContent};
})()"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path, why = find_chromium()
    if path is None:
        pytest.skip(why)
    b = Browser(path)
    try:
        yield b
    finally:
        b.close()


@functools.cache
def shipped() -> Library:
    lib, issues = load_library(SHIPPED)
    assert lib is not None, [str(i) for i in issues]
    return lib


def preview(tmp_path: Path, walkthrough: str, lang: str) -> Path:
    out = tmp_path / f"{walkthrough}.{lang}.html"
    code = cli.main(
        ["preview", walkthrough, "--flows", str(SHIPPED), "--lang", lang, "--out", str(out)]
    )
    assert code == 0
    return out


def read(browser: Browser, page_file: Path, shot: Path | None = None) -> dict[str, object]:
    page: Page = browser.open(page_file.as_uri())
    try:
        seen = page.evaluate(READ_PAGE)
        if shot is not None:
            page.screenshot(shot)
    finally:
        page.close()
    assert isinstance(seen, dict)
    return seen


def overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    out = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[:i]):
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            if not apart:
                out.append((j, i))
    return out


@pytest.mark.parametrize("walkthrough", sorted(shipped().walkthroughs))
def test_every_step_of_the_walkthrough_is_on_the_page_in_a_real_browser(
    browser: Browser, tmp_path: Path, walkthrough: str
) -> None:
    lib = shipped()
    w = lib.walkthroughs[walkthrough]
    seen = read(browser, preview(tmp_path, walkthrough, "ja"))
    steps = {s["id"]: s for s in seen["steps"]}  # type: ignore[attr-defined]
    assert list(steps) == list(w.steps)
    for step in w.steps.values():
        shown = steps[step.id]
        assert shown["box"]["h"] > 0, step.id
        # The text as the person reads it, line by line (fields stay as {fact}).
        for line in step.text.get("ja").splitlines():
            if line.strip():
                assert " ".join(line.split()) in " ".join(shown["text"].split()), (step.id, line)
        for b in step.buttons:
            assert b.label.get("ja") in shown["text"], (step.id, b.id)
        # Where each way leads: the same steps the walkthrough leads to, in order.
        ways = [b.goto for b in step.buttons if b.goto]
        ways += [step.next] if step.next else []
        ways += [step.input.goto] if step.input else []
        ways += [r.goto for r in step.routes] + ([step.otherwise] if step.otherwise else [])
        ways += [step.skip_to] if step.optional and step.skip_to else []
        assert shown["targets"] == ways, step.id
        if step.on_notice:
            assert f"moves the person → {step.on_notice}" in shown["text"], step.id
    assert seen["missing"] == []
    assert seen["loaded"] == []  # nothing fetched: no script, font or stylesheet
    assert sorted(seen["facts"]) == sorted(w.facts)  # type: ignore[arg-type]
    nodes = seen["nodes"]
    assert sorted(n["id"] for n in nodes) == sorted(w.steps)  # type: ignore[union-attr]
    boxes = [n["box"] for n in nodes]  # type: ignore[union-attr]
    assert overlapping(boxes) == []
    svg = seen["svg"]
    for b in boxes:
        assert b["w"] > 0 and b["h"] > 0
        assert svg["x"] <= b["x"] and b["x"] + b["w"] <= svg["x"] + svg["w"]  # type: ignore[index]
    drawn = {(e["from"], e["to"]) for e in seen["edges"]}  # type: ignore[union-attr]
    wanted = {(s.id, t) for s in w.steps.values() for t in s.targets()}
    assert drawn == wanted
    assert all(e["length"] > 0 for e in seen["edges"])  # type: ignore[union-attr]
    assert str(seen["mermaid"]).startswith("flowchart TD")


def test_the_english_page_shows_the_english_texts_and_the_bots_own_buttons(
    browser: Browser, tmp_path: Path
) -> None:
    lib = shipped()
    w = lib.walkthroughs["parcel_delivery"]
    seen = read(browser, preview(tmp_path, "parcel_delivery", "en"), tmp_path / "shot.png")
    about = next(s for s in seen["steps"] if s["id"] == "about")  # type: ignore[attr-defined]
    assert w.steps["about"].text.get("en").splitlines()[0] in about["text"]
    assert lib.text("continue", "en") in about["text"]
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    html = preview(tmp_path, "mail_spam_block", "ja").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html


def test_an_unknown_walkthrough_names_the_ones_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.html"
    code = cli.main(["preview", "nope", "--flows", str(SHIPPED), "--out", str(out)])
    assert code == 1 and not out.exists()
    assert "no walkthrough 'nope'; there are: " in capsys.readouterr().err
